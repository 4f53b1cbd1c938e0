"""Who may do what where: staff roles, tenancy (the organizations a user belongs to, scoped querysets) and
the permission backend with its object checks."""
