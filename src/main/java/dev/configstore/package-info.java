/**
 * The public API of configstore: a versioned, audited, transactional configuration store.
 * Open one with {@link dev.configstore.ConfigStore#builder()}; everything else is reached
 * from the store. Packages named {@code internal} are not API and may change at any time.
 */
package dev.configstore;
