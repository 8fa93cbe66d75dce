"""The transfer package (BagIt + METS/PREMIS): `package_build` makes it, `package_verify`
checks one that arrived, trusting nothing in it."""
