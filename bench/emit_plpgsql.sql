-- One event per transaction through the PL/pgSQL twin of emit().
SELECT bench.emit_plpgsql('bench.created', 'KYC-20261127-0000000001', '{"status": "Draft", "type": "Individual"}');
