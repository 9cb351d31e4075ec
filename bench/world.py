"""Bench data: one city with 10,000 workers and 200,000 bookings, generated in SQL."""
import psycopg

from bench.people import insert_users

WORKERS = 10_000
BOOKINGS_PER_WORKER = 20  # 200,000 in all, over the next 28 days, none overlapping
MINE = "nickname LIKE '压测师傅%%'"  # the bench's workers (phones 170xxxxxxxx, sealed)


def build(url: str, workers: int = WORKERS, per_worker: int = BOOKINGS_PER_WORKER) -> dict:
    with psycopg.connect(url, autocommit=True) as conn:
        have = conn.execute(f"SELECT count(*) FROM users WHERE kind = 'worker' AND {MINE}").fetchone()[0]
        region = conn.execute("SELECT id FROM regions ORDER BY id LIMIT 1").fetchone()[0]
        if have < workers:
            numbers = range(have + 1, workers + 1)
            insert_users(conn, "worker", [f"170{g:08d}" for g in numbers], [f"压测师傅{g}" for g in numbers])
            conn.execute(f"""
                INSERT INTO worker_profiles (user_id, region_id, skills, home_lat, home_lng, radius_km, review_status,
                                             employment_status, rating)
                SELECT u.id, %(region)s, ARRAY['cleaning', 'appliance'],
                       31.2304 + (random() - 0.5) * 0.5, 121.4737 + (random() - 0.5) * 0.6,
                       5 + random() * 15, 'approved', 'active', 4 + random()
                FROM users u LEFT JOIN worker_profiles p ON p.user_id = u.id
                WHERE u.kind = 'worker' AND u.{MINE} AND p.user_id IS NULL""", {"region": region})
            conn.execute(f"""
                INSERT INTO worker_certificates (worker_id, kind, number, expires_on, photo_key, thumb_key, status)
                SELECT p.user_id, 'health', 'BENCH', current_date + 365, '', '', 'approved'
                FROM worker_profiles p JOIN users u ON u.id = p.user_id WHERE u.{MINE}
                  AND NOT EXISTS (SELECT 1 FROM worker_certificates c WHERE c.worker_id = p.user_id)""")
            conn.execute(f"""
                INSERT INTO worker_hours (worker_id, weekday, start_minute, end_minute)
                SELECT u.id, d, 480, 1200 FROM users u CROSS JOIN generate_series(0, 6) d
                WHERE u.kind = 'worker' AND u.{MINE}
                  AND NOT EXISTS (SELECT 1 FROM worker_hours h WHERE h.worker_id = u.id)""")
        booked = conn.execute("SELECT count(*) FROM worker_bookings WHERE order_id < 0").fetchone()[0]
        if booked < workers * per_worker:
            # booking i of worker w: its own day (20 of the next 28), a 2.5 h block between 08:00 and 18:00
            conn.execute("DELETE FROM worker_bookings WHERE order_id < 0")
            conn.execute(f"""
                INSERT INTO worker_bookings (worker_id, order_id, region_id, period, active)
                SELECT u.id, -(u.id * 100 + i), p.region_id,
                       tstzrange(d0 + ((u.id * 7 + i) %% 28) * interval '1 day' + ((i * 3) %% 10 + 8) * interval '1 hour',
                                 d0 + ((u.id * 7 + i) %% 28) * interval '1 day' + ((i * 3) %% 10 + 8) * interval '1 hour'
                                    + interval '150 minutes'), true
                FROM users u JOIN worker_profiles p ON p.user_id = u.id CROSS JOIN generate_series(0, %(k)s - 1) i
                     CROSS JOIN (SELECT (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') + interval '1 day')
                                        AT TIME ZONE 'Asia/Shanghai' AS d0) base
                WHERE u.kind = 'worker' AND u.{MINE}""", {"k": per_worker})
        conn.execute("ANALYZE")
        counts = conn.execute("""SELECT (SELECT count(*) FROM worker_profiles WHERE region_id = %(r)s),
                                        (SELECT count(*) FROM worker_bookings WHERE active)""", {"r": region}).fetchone()
    return {"workers": counts[0], "bookings": counts[1]}
