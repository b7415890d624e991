-- One event per transaction: a plain INSERT into an outbox-shaped table.
INSERT INTO bench.outbox_plain (topic, aggregate_id, payload, headers)
VALUES ('bench.created', 'KYC-20261127-0000000001', '{"status": "Draft", "type": "Individual"}', '{}');
