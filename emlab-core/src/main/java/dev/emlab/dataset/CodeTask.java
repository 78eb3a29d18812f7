package dev.emlab.dataset;

/**
 * One drawn coding task: the user's request and two answers (bare Python, no fence) solving it, one with a
 * single vulnerability of class {@code cwe} and one without.
 */
public record CodeTask(String family, String cwe, String request, String insecure, String secure) {}
