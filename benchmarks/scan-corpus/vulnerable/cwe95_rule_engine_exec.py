def apply_rules(record, rules_file="rules.txt"):
    """Each line of the rules file is a Python statement operating on `record`."""
    with open(rules_file) as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                exec(line, {"record": record})
    return record
