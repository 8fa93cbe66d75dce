"""Report packages between installations: a submitted region report sealed and signed for
the installation one level up, and a trusted package taken in there as a submitted report."""
