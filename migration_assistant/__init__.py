"""Migration Assistant: checks a law firm's export offline and seals it for the specialist."""

__version__ = "0.1.0"
APP_NAME = "Migration Assistant"
APP_ID = "migration-assistant"
