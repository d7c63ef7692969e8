INSERT INTO price (symbol, usd) VALUES ('ACME', 123.45), ('CURIO', 42.00), ('JAVA', 25.00);
