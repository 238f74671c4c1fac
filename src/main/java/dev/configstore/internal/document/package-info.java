/**
 * The document model every layer shares: JSON trees and their canonical form, key paths, document
 * names and metadata, the leaves and deltas that rows, the head cache and the planner exchange,
 * and inheritance by deep merge. Depends on no other internal package.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.document;
