"""What comes in: form fields for Thai input, text hygiene, upload checks, uploads kept across form errors and
rate limits."""
