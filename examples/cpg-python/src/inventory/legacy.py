# Python 2 code nobody ported: python3 cannot parse it, so the extractor records it in
# extract_errors and the rest of the package is built as usual.
def report(warehouse):
    print "inventory of", warehouse.name
