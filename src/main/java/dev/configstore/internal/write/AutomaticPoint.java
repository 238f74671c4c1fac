package dev.configstore.internal.write;

/** The scope of the restore point made automatically before a destructive write. */
public record AutomaticPoint(String document) {
}
