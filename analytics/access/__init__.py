"""Who may do what: user accounts and roles (users), and the audit trail of what was done (audit)."""
