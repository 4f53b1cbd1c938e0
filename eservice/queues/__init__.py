"""Queue booking: slots per queue and day, tickets, holds confirmed by SMS, the counter's calls."""
