/*
 * A small SQL workload for SQLite built as a WASI command (issue #15's "SQL database engine built for WASI"): an
 * in-memory database, N rows of three tables, then joins, aggregates, an index, LIKE, ORDER BY and a recursive
 * CTE, each result printed. Deterministic output for a given N (argv[1], default 2000).
 *
 * SQLite is built with SQLITE_OS_OTHER: wasi-libc lacks what its Unix VFS uses (mmap of shared memory, fchown,
 * ...), so this file registers a minimal VFS of its own: it opens no files (":memory:" needs none), and answers
 * randomness, time and sleep deterministically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out) {
    (void) vfs; (void) name; (void) file; (void) flags; (void) out;
    return SQLITE_CANTOPEN;
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync) {
    (void) vfs; (void) name; (void) sync;
    return SQLITE_IOERR_DELETE;
}

static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    (void) vfs; (void) name; (void) flags;
    *out = 0;
    return SQLITE_OK;
}

static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out) {
    (void) vfs;
    snprintf(out, (size_t) n, "%s", name);
    return SQLITE_OK;
}

static unsigned long long seed = 0x9E3779B97F4A7C15ULL;

static int vfs_randomness(sqlite3_vfs *vfs, int n, char *out) {
    (void) vfs;
    for (int i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        out[i] = (char) (seed >> 56);
    }
    return n;
}

static int vfs_sleep(sqlite3_vfs *vfs, int micros) {
    (void) vfs;
    return micros;
}

static int vfs_current_time(sqlite3_vfs *vfs, double *out) {
    (void) vfs;
    *out = 2461000.5;                       /* a fixed Julian day: the output never depends on the clock */
    return SQLITE_OK;
}

static int vfs_last_error(sqlite3_vfs *vfs, int n, char *out) {
    (void) vfs; (void) n; (void) out;
    return 0;
}

static sqlite3_vfs vfs = {
    1, 0, 512, 0, "memory-only", 0,
    vfs_open, vfs_delete, vfs_access, vfs_full_pathname,
    0, 0, 0, 0,
    vfs_randomness, vfs_sleep, vfs_current_time, vfs_last_error,
};

int sqlite3_os_init(void) {
    return sqlite3_vfs_register(&vfs, 1);
}

int sqlite3_os_end(void) {
    return SQLITE_OK;
}

static int print_row(void *unused, int columns, char **values, char **names) {
    (void) unused; (void) names;
    for (int i = 0; i < columns; i++) printf("%s%s", i ? "|" : "", values[i] ? values[i] : "NULL");
    printf("\n");
    return 0;
}

static void run(sqlite3 *db, const char *sql) {
    char *error = 0;
    if (sqlite3_exec(db, sql, print_row, 0, &error) != SQLITE_OK) {
        fprintf(stderr, "sql error: %s\n", error);
        sqlite3_free(error);
        exit(1);
    }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        fprintf(stderr, "cannot open: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    printf("sqlite %s, n = %d\n", sqlite3_libversion(), n);
    run(db, "CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, city TEXT);"
            "CREATE TABLE product(id INTEGER PRIMARY KEY, title TEXT, price REAL);"
            "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, product INTEGER, quantity INTEGER);");
    sqlite3_stmt *insert;
    run(db, "BEGIN");
    sqlite3_prepare_v2(db, "INSERT INTO customer(name, city) VALUES (?1, ?2)", -1, &insert, 0);
    static const char *cities[] = {"Lisbon", "Oslo", "Lima", "Osaka", "Quito", "Accra", "Hanoi"};
    char text[64];
    for (int i = 0; i < n; i++) {
        snprintf(text, sizeof text, "customer-%05d", (i * 7919) % n);
        sqlite3_bind_text(insert, 1, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, cities[i % 7], -1, SQLITE_STATIC);
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_prepare_v2(db, "INSERT INTO product(title, price) VALUES (?1, ?2)", -1, &insert, 0);
    for (int i = 0; i < n / 10 + 1; i++) {
        snprintf(text, sizeof text, "product %d %s", i, i % 3 ? "basic" : "deluxe");
        sqlite3_bind_text(insert, 1, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(insert, 2, 1.5 + (i * 37) % 100);
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_prepare_v2(db, "INSERT INTO orders(customer, product, quantity) VALUES (?1, ?2, ?3)", -1, &insert, 0);
    for (int i = 0; i < 4 * n; i++) {
        sqlite3_bind_int(insert, 1, 1 + (i * 31) % n);
        sqlite3_bind_int(insert, 2, 1 + (i * 17) % (n / 10 + 1));
        sqlite3_bind_int(insert, 3, 1 + i % 5);
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    run(db, "COMMIT");
    run(db, "SELECT count(*), sum(quantity) FROM orders");
    run(db, "SELECT c.city, count(*), round(sum(o.quantity * p.price), 2) FROM orders o"
            " JOIN customer c ON c.id = o.customer JOIN product p ON p.id = o.product"
            " GROUP BY c.city ORDER BY 3 DESC");
    run(db, "CREATE INDEX orders_by_product ON orders(product)");
    run(db, "SELECT p.title, sum(o.quantity) AS q FROM product p JOIN orders o ON o.product = p.id"
            " WHERE p.title LIKE '%deluxe%' GROUP BY p.id ORDER BY q DESC, p.title LIMIT 5");
    run(db, "SELECT name FROM customer WHERE name LIKE 'customer-0001%' ORDER BY name DESC LIMIT 3");
    run(db, "WITH RECURSIVE fib(a, b, k) AS (SELECT 0, 1, 0 UNION ALL SELECT b, a + b, k + 1 FROM fib WHERE k < 40)"
            " SELECT max(a), count(*) FROM fib");
    run(db, "SELECT upper(substr(city, 1, 3)), length(group_concat(name)) FROM customer GROUP BY city ORDER BY 1");
    run(db, "UPDATE orders SET quantity = quantity + 1 WHERE id % 3 = 0; DELETE FROM orders WHERE id % 7 = 0;"
            "SELECT count(*), sum(quantity), total(quantity * 1.5) FROM orders");
    sqlite3_close(db);
    return 0;
}
