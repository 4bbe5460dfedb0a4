"""The partner network (issue 12): merchants, merchant-scoped access, clearing between
the operator and its partners on the one ledger, and settlement statements."""
