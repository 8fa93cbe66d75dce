class PrintingError(ValueError):
    """A form cannot be printed; the message is Chinese and meant for the user."""
