"""cpgc's built-in Python extractor: rows of the extract datasets from python3's own ast,
tokenize, symtable and dis (stdlib only). See ../README.md for the layout and the protocol."""

#: Bumped when the rows change meaning without the code changing shape (the extractor
#: version the driver computes hashes the code anyway, so this is documentation more than a key).
ROWS_FORMAT = 1
