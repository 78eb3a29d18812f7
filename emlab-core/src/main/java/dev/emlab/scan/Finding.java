package dev.emlab.scan;

/** One weakness found in a snippet: 1-based line in the scanned text, rule name, CWE tag and a short message. */
public record Finding(int line, String rule, String cwe, String message) {}
