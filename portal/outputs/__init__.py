"""What goes out: CSV/XLSX exports, PDFs, private files, public tracking codes and encryption at rest."""
