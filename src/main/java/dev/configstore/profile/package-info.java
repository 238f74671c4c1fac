/**
 * Profiles: documents that extend a parent and carry a description and tags, resolved by deep
 * merge along the chain of parents.
 */
package dev.configstore.profile;
