-- configstore schema, version 4: store settings, and an id for every write.

-- Settings the store keeps for itself, not configuration: on PostgreSQL the name and password
-- of the role that runs read-only SQL. Never granted to that role.
CREATE TABLE cs_setting (
    setting_name  VARCHAR(100)  NOT NULL,
    setting_value VARCHAR(2000) NOT NULL,
    CONSTRAINT cs_setting_pk PRIMARY KEY (setting_name)
);

-- A random id the writer gives each write. When the connection breaks during a commit, the
-- writer looks for its id among the revisions after the one it started from, so a write whose
-- outcome was unknown is reported once, as committed or not, and never applied twice.
ALTER TABLE cs_revision ADD COLUMN write_id VARCHAR(32);
