"""Report builders: business cases, decks, HTML pages."""
