package io.desire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;

/**
 * The package structure the code keeps: no package depends on itself through others, and the
 * modules stay layered — {@code features} (plain Java) under {@code operators} and {@code sinks}
 * (Flink functions), under {@code jobs} (the job graph and the backfill: the job jar), under
 * {@code tools} (demo, generator, benchmarks) and {@code eval} (the evaluation). Main classes only,
 * as compiled (javadoc links do not count). It lives in the eval module, the one whose classpath
 * holds every other module.
 */
@AnalyzeClasses(
        packages = "io.desire",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

    /**
     * Leaves out test classes that come as a {@code -tests.jar} (the jobs module's test-jar, which
     * {@code mvn verify} resolves as a jar where {@code mvn test} gives a test-classes folder).
     */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.matches(Pattern.compile(".*-tests\\.jar!/.*"));
        }
    }

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.desire.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule featuresAreTheBottomLayer = noClasses()
            .that()
            .resideInAPackage("io.desire.features..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.desire.operators..", "io.desire.sinks..", "io.desire.jobs..");

    @ArchTest
    static final ArchRule featuresNeedNoFlinkRuntime = noClasses()
            .that()
            .resideInAPackage("io.desire.features..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.apache.flink.streaming..",
                    "org.apache.flink.runtime..",
                    "org.apache.flink.api.common.state..");

    @ArchTest
    static final ArchRule operatorsAndSinksDoNotKnowTheJobs = noClasses()
            .that()
            .resideInAnyPackage("io.desire.operators..", "io.desire.sinks..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.desire.jobs..");

    @ArchTest
    static final ArchRule operatorsAndSinksAreSiblings = noClasses()
            .that()
            .resideInAPackage("io.desire.operators..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.desire.sinks..");

    @ArchTest
    static final ArchRule theJobJarHoldsNoToolOrEvaluation = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.desire.features..", "io.desire.operators..", "io.desire.sinks..", "io.desire.jobs..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.desire.tools..", "io.desire.eval..");

    @ArchTest
    static final ArchRule toolsDoNotKnowTheEvaluation = noClasses()
            .that()
            .resideInAPackage("io.desire.tools..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.desire.eval..");
}
