// The demo's knowledge graph, graph side: the same people, organisations and documents as seed.sql, with who
// works where and who wrote what as relationships. One statement per block (blank-line separated).
UNWIND range(1, 20) AS i
CREATE (:Organisation {id: i, name: 'Org ' + i, country: ['DE', 'FR', 'US', 'JP', 'BR'][i % 5]})

UNWIND range(1, 500) AS i
CREATE (:Person {id: i, name: 'Person ' + i, email: 'person' + i + '@example.org'})

UNWIND range(1, 2000) AS i
CREATE (:Document {id: i, title: 'Document ' + i, published: date('2024-01-01') + duration({days: i % 365})})

CREATE INDEX person_id FOR (p:Person) ON (p.id)

CREATE CONSTRAINT document_id FOR (d:Document) REQUIRE d.id IS UNIQUE

CREATE INDEX organisation_id FOR (o:Organisation) ON (o.id)

MATCH (p:Person), (o:Organisation) WHERE o.id = 1 + p.id % 20
CREATE (p)-[:WORKS_AT]->(o)

UNWIND range(1, 4000) AS i
WITH DISTINCT 1 + (i * 7) % 500 AS pid, 1 + i % 2000 AS did
MATCH (p:Person {id: pid}), (d:Document {id: did})
CREATE (p)-[:AUTHORED]->(d)
