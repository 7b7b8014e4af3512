// Reports: trace tables, gradient JSON, gradient checks.
