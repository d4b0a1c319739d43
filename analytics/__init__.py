"""The core of the one-stop-shop oversight dashboard: from the bytes of an export to the documents a Council reads.

A dossier goes through five stages, each a subpackage; a stage imports only the stages above it in this list
(tests/test_layering.py enforces it), and nothing here imports Streamlit.

    model/      the vocabulary, no I/O: imports nothing else of the project
        schema            canonical fields, status and channel codes
        issues            data-quality issues: stable codes, levels, where/what/how-to-fix
        periods           periods, presets, Nghị định 09/2019 cut-offs, series
        workdays          Vietnam's working days, legal due dates
        rates             the three on-time rate definitions
        procedure_catalog the catalog's columns and the `Catalog` a reader returns
        text_keys         wording reduced to plain ASCII words for comparing
    ingest/     bytes -> clean records: imports model
        sniff             what a file really is; hostile-file checks
        sheets            every sheet (or the CSV) as a table of text
        headers           header text -> field: aliases, finding the header row
        values            cell text -> dates, status and channel codes, levels
        export_reader     one dossier export -> records and issues (`read_export`)
        catalog           a procedure catalog workbook -> `Catalog`
        personal          applicants' data masked, kept only when ONESTOP_KEEP_PERSONAL asks for it
    dossiers/   one row per dossier: imports model, ingest
        dedup             one record per case id
        sources           the dossiers of a report, read from files (`LoadedDossiers`)
        store             the DuckDB store: imports, records, issues, remembered mappings
    analyses/   pure functions over dossiers and periods: imports model (never ingest or the store)
        classification    each dossier's cell for a period
        bieu06            the official table: counts, groups, the form's layout, series of periods
        comparison, stats two periods compared, intervals and tests
        funnel            units compared fairly
        timeliness        processing times, clearance, pending ages
        screening         prompts for the inspection team
        late              late and overdue dossiers per group, apology letters
        catalog_audit     legal due dates, unused procedures, due dates filled from the catalog
        filters           level/unit/field/channel filters
        trends            the data's natural period; a trend as a unit × period matrix
    outputs/    nothing computes here: imports model, analyses and dossiers.sources (for provenance)
        labels            every label a person reads, Biểu 06's column numbers and headers
        formatting        Vietnamese numbers, percents, dates
        sentences         figures said as sentences
        charts            Plotly figures (DataFrame in, go.Figure out)
        documents         JSON documents of every command (the public contract)
        text_tables       plain text tables for a terminal
        bieu06_xlsx       Biểu 06 as the printed form, in a workbook
    access/     who may do what: imports model and the store
        users             accounts, roles (viewer < analyst < admin), Argon2 hashes, slow-down and lockout
        audit             the append-only audit trail, chained by SHA-256
    cli.py      the command line: may import every stage (cli_access.py: its users and audit-log commands)

Where a new piece goes: a new input format is a reader in ingest/ (sheets.py if it yields sheets of text); a new
analysis is a module in analyses/ that takes dossiers or classified dossiers and a period; a new output (a document,
slides) is a module in outputs/ that takes what analyses return. The screens (ui/, pages/) may import any stage but
the command line.
"""
