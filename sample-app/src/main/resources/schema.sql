-- GET /quote/db reads prices from here (an embedded H2 in memory by default: spring.datasource.*
-- points the sample at another database).
CREATE TABLE IF NOT EXISTS price (
    symbol VARCHAR(16) PRIMARY KEY,
    usd    DECIMAL(12, 2) NOT NULL
);
