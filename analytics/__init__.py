"""The core of the one-stop-shop oversight dashboard: from the bytes of an export to the documents a Council reads.

A dossier goes through five stages, each a subpackage; a stage imports only the stages above it in this list
(tests/test_layering.py enforces it), and nothing here imports Streamlit.

    model/      the vocabulary, no I/O: imports nothing else of the project
        schema            canonical fields, status and channel codes
        issues            data-quality issues: stable codes, levels, where/what/how-to-fix
        periods           periods, presets, Nghị định 09/2019 cut-offs, series, a period in words
        workdays          Vietnam's working days, legal due dates
        rates             the three on-time rate definitions
        form              Biểu 06's column keys and roman numerals
        procedure_catalog the catalog's columns and the `Catalog` a reader returns
        reported          a body's reported table: its keys, identities and the `ReportedTable` a reader returns
        session           a supervision session: everything that shapes its figures; provenance of an output
        text_keys         wording reduced to plain ASCII words for comparing
        levels            the three levels of government and the words that name them
        unit_names        unit names as offices write them (abbreviations, short forms), matched to the data's
        unit_register     how units changed in the 2025 reorganisation: successions that chain; the boundaries
        legal_bases       the legal texts with their dates, and which a report cites
        recommendations   a session's recommendations, their status and the deadline of the body's report
        national_index    the national index's (QĐ 766) groups, scores of a file, the estimates' formulas
    ingest/     bytes -> clean records: imports model
        sniff             what a file really is; hostile-file checks
        sheets            every sheet (or the CSV) as a table of text
        headers           header text -> field: aliases, finding the header row
        values            cell text -> dates, status and channel codes, levels
        export_reader     one dossier export -> records and issues (`read_export`)
        catalog           a procedure catalog workbook -> `Catalog`
        reported_table    a body's own Biểu 06 (or a vendor's report table) -> `ReportedTable`
        unit_register     the analyst's register of the reorganisation -> `UnitRegister`
        legal_texts       the table of legal texts (shipped, or the analyst's corrected copy)
        recommendations_docx  the recommendations a team wrote into its report (.docx), read back
        national_index    the portal's QĐ 766 score file -> `IndexFile`, each row's identity checked
        personal          applicants' data masked, kept only when ONESTOP_KEEP_PERSONAL asks for it
    dossiers/   one row per dossier: imports model, ingest
        dedup             one record per case id
        sources           the dossiers of a report, read from files (`LoadedDossiers`)
        store             the DuckDB store's public face: `Store`, made of the parts below, and its errors
        connection        opening the file, taking turns, waiting for another program, its faults said for people
        tables            the SQL of the tables, the migrations of an older store, the lists' versions
        stored_imports    imports, records, issues, applicants, remembered mappings; the dossiers
        stored_reported   reported tables and the corrections of how they are read, per layout and grouping
        stored_sessions   supervision sessions
        stored_units      the unit register
        stored_recommendations  recommendations and their follow-up
        stored_index      the national index's official scores, one file per month
        importer          reading an export and handing its clean records to the store, in one transaction
        provenance        where an output's figures come from: files, fingerprints, sample or not, version
    analyses/   pure functions over dossiers and periods, codes and evidence (no prose): imports model only
        classification    each dossier's cell for a period
        bieu06            the official table: counts, groups, the form's layout, series of periods
        comparison, stats two periods compared, intervals and tests
        judgements        what a sentence may claim: rise or fall, units to name, most late, months on target
        funnel            units compared fairly
        timeliness        processing times, clearance, pending ages
        screening         prompts for the inspection team (codes, thresholds, dossiers)
        late              late and overdue dossiers per group, apology letters
        catalog_audit     legal due dates, unused procedures, due dates filled from the catalog
        caveats           what figures cannot be sure of (a column missing, a wording not recognised)
        filters           level/unit/field/channel filters
        trends            the data's natural period, the months they cover; a trend as a unit × period matrix
        reported_structure a reported table's grand total, subtotals (and their rows) and unit rows
        report_arithmetic a reported table's own sums and identities
        reconciliation    a reported table beside the figures recomputed from the dossiers; likely causes
        boundaries        the data's units placed in the register; counts as recorded or under the new boundaries
        experience        citizens' experience: online full/partial, apology letters, ratings, receiving points
        index_estimates   the national index's official scores beside estimates from the dossiers
        relational        the classification and Biểu 06's counts as SQL from one definition (DuckDB, Spark, Trino)
        engine            those queries run where the data are (a DuckDB connection, a Spark session)
        session_figures   every figure of a supervision session, from the session object, classified once
    outputs/    words and files, nothing computed: imports model, analyses and dossiers.sources (for provenance)
        labels            every label a person reads, Biểu 06's column numbers and headers
        formatting        Vietnamese numbers, percents, dates
        sentences         figures said as sentences; a session described in one line
        judged            the judging sentences (changes, units for attention, most late), from judgements
        causes            a reconciliation's likely causes in words
        questions         the screening lists worded as questions for the inspection team
        reported_words    a reported table's columns, breaks and unmatched rows in words
        boundaries_words  the boundaries a figure uses, the register's placement, the 2025 warnings, in words
        experience_words  citizens' experience and the national index in words: labels, caveats, prompts, JSON, text
        experience_xlsx   citizens' experience in a workbook: the tables, the checklist's dossiers, the index
        charts            Plotly figures (DataFrame in, go.Figure out)
        documents         JSON documents of every command (the public contract)
        text_tables       plain text tables for a terminal
        bieu06_html       Biểu 06 as the printed form, in HTML for the screens
        bieu06_xlsx       Biểu 06 as the printed form, in a workbook that prints on one page
        reconciliation_outputs  a reconciliation as a document, text and workbook
        slides            the meeting's messages: one sentence per slide, shared by the screen and the deck
        pptx_text         fitting text into a slide's boxes (font metrics, wrapping)
        slides_pptx       the PowerPoint deck with native charts
        report_text       what the written report says: sentences, rows, headings (no layout)
        report_docx       the written report laid out as Nghị định 30/2020 wants it
        workbook_xlsx     the session's workbook
        safe_cells        text that cannot run as a spreadsheet formula
        files             writing a file whole or not at all
    access/     who may do what: imports model and the store
        users             accounts, roles (viewer < analyst < admin), Argon2 hashes, attempts counted atomically,
                          slow-down, lockout and a per-client budget
        tokens            sign-in tokens: the cookie's hand-over, idle and absolute limits, revocation
        audit             the append-only audit trail: gapless ids, an HMAC chain keyed outside the store, an anchor
    cli/        the command line, by command family: may import every stage, and no stage imports it
        parser            the Vietnamese parser, exit codes, the options several commands share
        files             which dossiers a command uses, the catalog, writing the output, recording it
        data              import, imports, issues, remove
        reports           report, compare, timeliness, funnel, screening, late, trend, audit
        sessions          session add/list/show/remove, export
        reconcile         reconcile
        units             units import/list/remove; --units and --boundaries of the commands counting by unit
        experience        experience; index import/list/remove (the QĐ 766 scores)
        cluster           parquet, rollup: the store as Parquet files; Biểu 06 counted on them (DuckDB, Spark)
        access            users, audit-log

Where a new piece goes: a new input format is a reader in ingest/ (sheets.py if it yields sheets of text); a new
analysis is a module in analyses/ that takes dossiers or classified dossiers and a period; a new output (a document,
slides) is a module in outputs/ that takes what analyses return. The screens (ui/, pages/) may import any stage but
the command line.
"""
