package dev.configstore.profile;

/** How a profile is applied onto the main document. */
public enum ApplyMode {
    /** The profile's resolved keys are merged onto the main document; the profile wins. */
    MERGE,
    /** The main document becomes the resolved profile, after an automatic restore point. */
    REPLACE
}
