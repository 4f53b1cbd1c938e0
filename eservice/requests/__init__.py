"""Service requests: forms the organization defines (versioned) and the requests citizens file under them."""
