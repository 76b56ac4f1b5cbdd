/* Unit tests of core: the event heap, PRNG streams, number formatting and
 * the kernel's run loop. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsim/core.h"

static rs_event ev_at(rs_time t, uint64_t tag)
{
	rs_event e = { .time = t, .a = tag };
	return e;
}

START_TEST(test_heap_pops_in_time_order)
{
	rs_heap h;
	rs_heap_init(&h);
	rs_time times[] = { 50, 10, 40, 30, 20, 0, 60 };
	for (size_t i = 0; i < 7; i++)
		rs_heap_push(&h, ev_at(times[i], i));
	rs_event e;
	rs_time last = -1;
	int n = 0;
	while (rs_heap_pop(&h, &e)) {
		ck_assert_int_ge(e.time, last);
		last = e.time;
		n++;
	}
	ck_assert_int_eq(n, 7);
	ck_assert_ptr_null(rs_heap_peek(&h));
	rs_heap_free(&h);
}
END_TEST

START_TEST(test_heap_breaks_ties_in_insertion_order)
{
	rs_heap h;
	rs_heap_init(&h);
	for (uint64_t i = 0; i < 1000; i++)
		rs_heap_push(&h, ev_at((rs_time)(i % 3), i));
	rs_event e;
	uint64_t prev[3] = { 0, 0, 0 };
	int first[3] = { 1, 1, 1 };
	rs_time last = 0;
	while (rs_heap_pop(&h, &e)) {
		ck_assert_int_ge(e.time, last);
		last = e.time;
		if (!first[e.time])
			ck_assert_uint_gt(e.a, prev[e.time]);
		first[e.time] = 0;
		prev[e.time] = e.a;
	}
	rs_heap_free(&h);
}
END_TEST

/* The reference: a sorted array, (time, seq) order, O(n) insertion. */
typedef struct ref_ev { rs_time t; uint64_t seq; } ref_ev;

static int ref_cmp(const void *a, const void *b)
{
	const ref_ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

START_TEST(test_heap_matches_reference_over_a_million_random_ops)
{
	rs_heap h;
	rs_heap_init(&h);
	rs_rng r;
	rs_rng_seed(&r, 42, 7);
	/* the reference keeps a multiset; popping takes its minimum */
	size_t cap = 1 << 20, n = 0;
	ref_ev *ref = malloc(cap * sizeof *ref);
	ck_assert_ptr_nonnull(ref);
	size_t head = 0;
	for (int op = 0; op < 1000000; op++) {
		if (n == 0 || rs_rng_next(&r) % 3 != 0) {
			rs_time t = (rs_time)(rs_rng_next(&r) % 1000);
			uint64_t seq = rs_heap_push(&h, ev_at(t, 0));
			if (head + n == cap) {
				memmove(ref, ref + head, n * sizeof *ref);
				head = 0;
			}
			/* insertion into the sorted window */
			ref_ev x = { t, seq };
			size_t i = n;
			while (i > 0 && ref_cmp(&x, &ref[head + i - 1]) < 0)
				i--;
			memmove(&ref[head + i + 1], &ref[head + i],
			        (n - i) * sizeof *ref);
			ref[head + i] = x;
			n++;
		} else {
			rs_event e;
			ck_assert(rs_heap_pop(&h, &e));
			ck_assert_int_eq(e.time, ref[head].t);
			ck_assert_uint_eq(e.seq, ref[head].seq);
			head++;
			n--;
		}
		if (n > 300) { /* keep the reference cheap: drain */
			while (n) {
				rs_event e;
				ck_assert(rs_heap_pop(&h, &e));
				ck_assert_uint_eq(e.seq, ref[head].seq);
				head++;
				n--;
			}
			head = 0;
		}
	}
	free(ref);
	rs_heap_free(&h);
}
END_TEST

/* Streams whose events are scheduled one at a time in the place of seqs
 * reserved up front (as the net schedules a reliable channel), woven with
 * ordinary pushes: the pops follow (time, seq) exactly. */
START_TEST(test_heap_keeps_reserved_seqs_in_their_place)
{
	enum { STREAMS = 5, PER = 2000 };
	rs_heap h;
	rs_heap_init(&h);
	rs_rng r;
	rs_rng_seed(&r, 11, 3);
	ref_ev *ref = malloc((size_t)STREAMS * PER * 2 * sizeof *ref);
	ref_ev *st = malloc((size_t)STREAMS * PER * sizeof *st);
	ck_assert_ptr_nonnull(ref);
	ck_assert_ptr_nonnull(st);
	size_t n = 0;
	rs_time t[STREAMS] = { 0 };
	/* round-robin sends: each stream's times never decrease */
	for (int i = 0; i < PER; i++)
		for (int s = 0; s < STREAMS; s++) {
			t[s] += (rs_time)(rs_rng_next(&r) % 3);
			ref_ev x = { t[s], h.next_seq++ };
			st[s * PER + i] = x;
			ref[n++] = x;
		}
	size_t next[STREAMS];
	for (int s = 0; s < STREAMS; s++) {
		rs_event e = ev_at(st[s * PER].t, (uint64_t)s);
		e.seq = st[s * PER].seq;
		rs_heap_push_keep_seq(&h, e);
		next[s] = 1;
	}
	/* the reference: the sorted union of everything pushed */
	qsort(ref, n, sizeof *ref, ref_cmp);
	size_t popped = 0;
	rs_event e;
	while (rs_heap_pop(&h, &e)) {
		ck_assert_int_eq(e.time, ref[popped].t);
		ck_assert_uint_eq(e.seq, ref[popped].seq);
		popped++;
		if (e.a < STREAMS && next[e.a] < PER) {
			const ref_ev *x = &st[e.a * PER + next[e.a]++];
			rs_event f = ev_at(x->t, e.a);
			f.seq = x->seq;
			rs_heap_push_keep_seq(&h, f);
		}
		if (rs_rng_next(&r) % 4 == 0) { /* an ordinary event, later */
			rs_time at = e.time + (rs_time)(rs_rng_next(&r) % 4);
			uint64_t seq = rs_heap_push(&h, ev_at(at, STREAMS));
			ref_ev x = { at, seq };
			size_t i = n++;
			while (i > popped && ref_cmp(&x, &ref[i - 1]) < 0) {
				ref[i] = ref[i - 1];
				i--;
			}
			ref[i] = x;
		}
	}
	ck_assert_uint_eq(popped, n);
	free(st);
	free(ref);
	rs_heap_free(&h);
}
END_TEST

START_TEST(test_rng_same_seed_same_stream)
{
	rs_rng a, b;
	rs_rng_seed(&a, 123, 4);
	rs_rng_seed(&b, 123, 4);
	for (int i = 0; i < 100; i++)
		ck_assert_uint_eq(rs_rng_next(&a), rs_rng_next(&b));
}
END_TEST

START_TEST(test_rng_streams_are_independent)
{
	rs_rng a, b;
	rs_rng_seed(&a, 123, 1);
	rs_rng_seed(&b, 123, 2);
	int same = 0;
	for (int i = 0; i < 100; i++)
		same += rs_rng_next(&a) == rs_rng_next(&b);
	ck_assert_int_eq(same, 0);
}
END_TEST

START_TEST(test_rng_uniform_in_range_and_normal_centered)
{
	rs_rng r;
	rs_rng_seed(&r, 9, 9);
	double sum = 0;
	for (int i = 0; i < 100000; i++) {
		double u = rs_rng_uniform(&r);
		ck_assert(u >= 0 && u < 1);
		sum += rs_rng_normal(&r);
	}
	ck_assert(sum / 100000 > -0.02 && sum / 100000 < 0.02);
}
END_TEST

START_TEST(test_fmtnum_prints_as_luau)
{
	char b[RS_NUMBUF];
	struct { double x; const char *s; } cases[] = {
		{ 5.0, "5" }, { -3.0, "-3" }, { 0.1, "0.1" }, { 0.5, "0.5" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { 1e15, "1e+15" },
		{ 123456789012.0, "123456789012" }, { 1.0 / 0.0, "inf" },
		{ -1.0 / 0.0, "-inf" }, { 2.5e-7, "2.5e-07" }, { 0.0, "0" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rs_fmtnum(cases[i].x, b);
		ck_assert_str_eq(b, cases[i].s);
	}
}
END_TEST

static void record(rs_sim *s, const rs_event *ev)
{
	char text[32];
	snprintf(text, sizeof text, "%llu", (unsigned long long)ev->a);
	rs_trace_add(&s->trace, s->now, 0, RS_OUT_PRINT, text, strlen(text));
	if (ev->b > 0) /* schedule a follow-up at the same instant */
		rs_sim_at(s, s->now, record, NULL, ev->a * 10, ev->b - 1);
}

START_TEST(test_sim_runs_in_order_and_stops_at_end)
{
	rs_sim s;
	rs_sim_init(&s, 1);
	s.end = 2000;
	rs_sim_at(&s, 1000, record, NULL, 1, 1);
	rs_sim_at(&s, 1000, record, NULL, 2, 0);
	rs_sim_at(&s, 500, record, NULL, 3, 0);
	rs_sim_at(&s, 5000, record, NULL, 4, 0);
	ck_assert_uint_eq(rs_sim_run(&s), 4);
	ck_assert_uint_eq(s.trace.len, 4);
	const char *want[] = { "3", "1", "2", "10" };
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(s.trace.entries[i].text, want[i]);
	ck_assert_int_eq(s.now, 1000);
	rs_sim_free(&s);
}
END_TEST

START_TEST(test_sim_at_seq_runs_in_the_reserved_place)
{
	rs_sim s;
	rs_sim_init(&s, 1);
	uint64_t seq = rs_sim_reserve_seq(&s);
	rs_sim_at(&s, 1000, record, NULL, 2, 0);
	rs_sim_at_seq(&s, 1000, seq, record, NULL, 1, 0);
	rs_sim_at(&s, 1000, record, NULL, 3, 0);
	ck_assert_uint_eq(rs_sim_run(&s), 3);
	const char *want[] = { "1", "2", "3" };
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(s.trace.entries[i].text, want[i]);
	rs_sim_free(&s);
}
END_TEST

START_TEST(test_time_conversion_rounds_to_microseconds)
{
	ck_assert_int_eq(rs_time_from_sec(1.05), 1050000);
	ck_assert_int_eq(rs_time_from_sec(-1), 0);
	ck_assert_int_eq(rs_time_from_sec(0.0000004), 0);
	ck_assert(rs_time_to_sec(1500000) == 1.5);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("heap");
	tcase_add_test(tc, test_heap_pops_in_time_order);
	tcase_add_test(tc, test_heap_breaks_ties_in_insertion_order);
	tcase_add_test(tc, test_heap_matches_reference_over_a_million_random_ops);
	tcase_add_test(tc, test_heap_keeps_reserved_seqs_in_their_place);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("rng");
	tcase_add_test(tc, test_rng_same_seed_same_stream);
	tcase_add_test(tc, test_rng_streams_are_independent);
	tcase_add_test(tc, test_rng_uniform_in_range_and_normal_centered);
	suite_add_tcase(s, tc);
	tc = tcase_create("kernel");
	tcase_add_test(tc, test_fmtnum_prints_as_luau);
	tcase_add_test(tc, test_sim_runs_in_order_and_stops_at_end);
	tcase_add_test(tc, test_sim_at_seq_runs_in_the_reserved_place);
	tcase_add_test(tc, test_time_conversion_rounds_to_microseconds);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(core_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
