-- configstore schema, version 3: leases, named locks with an owner and an expiry.

-- At most one row per name: the current holder. An expired row is stale; the next acquirer
-- takes it over (and the operation log records the takeover).
CREATE TABLE cs_lease (
    name        VARCHAR(64)              NOT NULL,
    lease_id    VARCHAR(36)              NOT NULL,
    actor       VARCHAR(200)             NOT NULL,
    host        VARCHAR(255)             NOT NULL,
    pid         BIGINT                   NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT cs_lease_pk PRIMARY KEY (name),
    CONSTRAINT cs_lease_id UNIQUE (lease_id)
);

CREATE VIEW leases AS
SELECT name, lease_id, actor, host, pid, acquired_at, expires_at
FROM cs_lease;
