-- The demo's knowledge-graph dataset, relational side: people, organisations, documents and who wrote what.
CREATE TABLE organisations (id int PRIMARY KEY, name text NOT NULL, country text);
CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL, org_id int REFERENCES organisations (id));
CREATE TABLE documents (id int PRIMARY KEY, title text NOT NULL, body text, published date, embedding_model text);
CREATE TABLE authorship (person_id int REFERENCES people (id), document_id int REFERENCES documents (id),
                         PRIMARY KEY (person_id, document_id));
CREATE INDEX documents_published ON documents (published);

INSERT INTO organisations
SELECT i, 'Org ' || i, (ARRAY['DE', 'FR', 'US', 'JP', 'BR'])[1 + i % 5] FROM generate_series(1, 20) i;
INSERT INTO people
SELECT i, 'Person ' || i, 'person' || i || '@example.org', 1 + i % 20 FROM generate_series(1, 500) i;
INSERT INTO documents
SELECT i, 'Document ' || i, repeat('Lorem ipsum dolor sit amet ' || i || '. ', 20), DATE '2024-01-01' + i % 365, 'minilm-l6'
FROM generate_series(1, 2000) i;
INSERT INTO authorship
SELECT DISTINCT 1 + (i * 7) % 500, 1 + i % 2000 FROM generate_series(1, 4000) i;
