"""Onboarding an organization without IT staff: the national directory of local administrative organizations
(`directory`), the installation's superuser inviting an organization's first administrator by e-mail, the
invited clerk's set-up wizard (`views`, `forms`), and deactivating an organization from the admin (`services`)."""
