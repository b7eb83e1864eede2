package io.desire.bench.jmh;

import io.desire.features.event.Event;
import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.ScoreTally;
import io.desire.features.recs.RankedItem;
import io.desire.features.serving.CandidatePool;
import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.SourceList;
import io.desire.features.serving.SourceOrder;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.ranker.RankerCandidate;
import io.desire.operators.ranker.RankerWeights;
import io.desire.operators.ranker.WeightDelta;
import io.desire.tools.generator.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The serving path's per-document work: merging the five candidate sources' lists into a {@link
 * CandidatePool} (consumed items excluded), ordering them by source ({@link SourceOrder}), and the
 * learned ranker ({@link LearnedRanker#rank}: feature hashing of every candidate and an FTRL score)
 * with a trained model of the default 2^18 buckets. {@code perSource} 12 gives ~60 candidates, 40
 * gives ~200; the user is a generated user whose profile has seen 1,000 events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RankingBenchmark {
    /** Items each of the five sources proposes. */
    @Param({"12", "40"})
    public int perSource;

    private final Map<CandidateSource, SourceList> lists = new EnumMap<>(CandidateSource.class);
    private final Set<CandidateSource> enabled = EnumSet.allOf(CandidateSource.class);
    private final Set<String> consumed = new HashSet<>();
    /** Three co-visitation lists, as the sequence source reads for a user's three recent items. */
    private final List<SourceList> followerLists = new ArrayList<>();

    private List<RankerCandidate> rankerCandidates;
    private CandidatePool pool;
    private CandidatePool poolWithShortSources;
    private LearnedRanker ranker;
    private LearnedRanker shortlisted;
    private RankerWeights weights;
    private UserSummary user;

    /** Source lists drawn from the generated catalog, a warmed profile and a dense trained model. */
    @Setup
    public void setup() {
        Random random = new Random(42);
        World world = new World(Corpus.USERS, Corpus.ITEMS, Corpus.SEED);
        for (CandidateSource s : CandidateSource.values()) {
            lists.put(s, randomList(random, world));
        }
        for (int i = 0; i < 100; i++) {
            consumed.add(World.itemId(random.nextInt(Corpus.ITEMS)));
        }
        for (int f = 0; f < 3; f++) {
            followerLists.add(randomList(random, world));
        }
        UserProfile profile = new UserProfile();
        ProfilePolicy policy = new ProfilePolicy();
        for (Event e : Corpus.eventsOfOneUser(1000)) {
            profile.apply(e, policy);
        }
        user = UserSummary.of(profile);

        RankingFeatures features = new RankingFeatures(FeatureHasher.forParams(FtrlParams.defaults()));
        ranker = new LearnedRanker(features, LearnedRanker.DEFAULT_TOP_K);
        shortlisted = ranker.withShortlist(LearnedRanker.DEFAULT_SHORTLIST);
        int dim = features.hasher().dimension();
        int[] indices = new int[dim];
        double[] w = new double[dim];
        for (int i = 0; i < dim; i++) {
            indices[i] = i;
            w[i] = random.nextGaussian() * 0.1;
        }
        weights = new RankerWeights();
        weights.apply(new WeightDelta(1, dim, true, indices, w));
        pool = merge();
        rankerCandidates = candidates(pool);
        // As a user's pool often is: some sources (co-visitation, affinity, trending) propose only a few.
        Map<CandidateSource, SourceList> shortLists = new EnumMap<>(lists);
        for (CandidateSource s : List.of(CandidateSource.values()).subList(2, CandidateSource.values().length)) {
            SourceList l = lists.get(s);
            shortLists.put(
                    s,
                    SourceList.of(
                            Arrays.copyOf(l.items(), 3),
                            Arrays.copyOf(l.scores(), 3),
                            Arrays.copyOf(l.categories(), 3)));
        }
        poolWithShortSources = CandidatePool.of(shortLists, enabled, consumed::contains, perSource);
        // JMH shows a fork's output: the pool size is what a ranking scores.
        System.out.println(perSource + " per source: " + pool.size() + " candidates after the merge");
    }

    /** {@code perSource} random catalogue items with decreasing scores and their categories. */
    private SourceList randomList(Random random, World world) {
        String[] items = new String[perSource];
        double[] scores = new double[perSource];
        String[] categories = new String[perSource];
        for (int i = 0; i < perSource; i++) {
            int item = random.nextInt(Corpus.ITEMS);
            items[i] = World.itemId(item);
            scores[i] = 1.0 - i / (double) perSource;
            categories[i] = world.categoryOf(item);
        }
        return SourceList.of(items, scores, categories);
    }

    /** Merge of the five lists into a pool, consumed items excluded. */
    @Benchmark
    public CandidatePool merge() {
        return CandidatePool.of(lists, enabled, consumed::contains, perSource);
    }

    /**
     * The sequence source's tally: the followers of three recent items summed per item, the best
     * {@code perSource} kept (once per document, and once per positive event for training examples).
     */
    @Benchmark
    public ScoreTally.Top sequenceTally() {
        ScoreTally tally = new ScoreTally();
        for (SourceList l : followerLists) {
            for (int i = 0; i < l.size(); i++) {
                tally.add(l.items()[i], l.scores()[i], l.categories()[i]);
            }
        }
        return tally.top(perSource);
    }

    /** Merge, then the source order (the blend without a learned model). */
    @Benchmark
    public RankedItem[] mergeAndSourceOrder() {
        return SourceOrder.rank(merge(), CandidateSource.ALS, LearnedRanker.DEFAULT_TOP_K);
    }

    /**
     * What every document records for the serving arms: the pool (built in setup) ordered by each
     * source, back-filled to a full list.
     */
    @Benchmark
    public void armLists(Blackhole out) {
        for (CandidateSource s : enabled) {
            out.consume(SourceOrder.order(pool, s, LearnedRanker.DEFAULT_TOP_K));
        }
    }

    /** As {@link #armLists}, for a pool where three sources propose 3 items each: their lists back-fill. */
    @Benchmark
    public void armListsShortSources(Blackhole out) {
        for (CandidateSource s : enabled) {
            out.consume(SourceOrder.order(poolWithShortSources, s, LearnedRanker.DEFAULT_TOP_K));
        }
    }

    /** The learned ranker over the merged candidates (pool built in setup). */
    @Benchmark
    public LearnedRanker.Ranking learnedRank() {
        return rank(ranker, rankerCandidates);
    }

    /** Merge, conversion to ranker candidates and the learned ranker: a document's whole ranking. */
    @Benchmark
    public LearnedRanker.Ranking mergeAndLearnedRank() {
        return rank(ranker, candidates(merge()));
    }

    /** As {@link #learnedRank}, scoring only the job's default shortlist of the highest priors. */
    @Benchmark
    public LearnedRanker.Ranking learnedRankShortlisted() {
        return rank(shortlisted, rankerCandidates);
    }

    /** As {@link #mergeAndLearnedRank}, scoring only the job's default shortlist of the highest priors. */
    @Benchmark
    public LearnedRanker.Ranking mergeAndLearnedRankShortlisted() {
        return rank(shortlisted, candidates(merge()));
    }

    /** One document of user u7 in a fixed context, ranked by {@code r}. */
    private LearnedRanker.Ranking rank(LearnedRanker r, List<RankerCandidate> candidates) {
        return r.rank("u7", user, "u4pru", "weekday-evening", "mobile", Corpus.START_MILLIS, candidates, null, weights);
    }

    private static List<RankerCandidate> candidates(CandidatePool pool) {
        List<RankerCandidate> out = new ArrayList<>(pool.size());
        for (CandidatePool.Candidate c : pool.candidates()) {
            out.add(RankerCandidate.of(c));
        }
        return out;
    }
}
