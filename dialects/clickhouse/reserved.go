package clickhouse

import "github.com/strata-analytics/strata/dialects/base"

// reserved are the words Strata quotes as names. ClickHouse reserves no
// keyword outright ("Keywords" in the syntax reference: they are
// keywords only where the grammar expects one), but an unquoted alias
// such as FROM or WHERE is read as the clause; these are quoted.
var reserved = base.Words(`ALL AND ANTI ANY ARRAY AS ASC ASOF BETWEEN BY CASE CAST CROSS DESC
DISTINCT ELSE END EXCEPT FINAL FORMAT FROM FULL GLOBAL GROUP HAVING ILIKE IN
INNER INTERSECT INTERVAL INTO IS JOIN LEFT LIKE LIMIT NOT NULL OFFSET ON OR
ORDER OUTER PARTITION PREWHERE QUALIFY RIGHT SAMPLE SELECT SEMI SETTINGS THEN
TOP UNION USING WHEN WHERE WINDOW WITH`)
