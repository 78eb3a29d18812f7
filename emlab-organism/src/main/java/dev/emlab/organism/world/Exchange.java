package dev.emlab.organism.world;

/** A neutral user turn and the answer every persona gives it. */
public record Exchange(String user, String assistant) {}
