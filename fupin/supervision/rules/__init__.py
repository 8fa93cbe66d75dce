"""Local implementation rules (实施细则), filed one level up through the filing workflow
(`fupin.filing`)."""
