package pulse;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Imports run one way: {@code config}, {@code site}, {@code store} (with {@code metrics}) at the
 * bottom, {@code ingest}, {@code realtime} and {@code demo} above them ({@code alerts} above
 * {@code realtime}), {@code api} and {@code web}
 * on top, and the root package, which builds everything, above all. {@code http} is a leaf every
 * layer may use and that uses nothing of Pulse. docs/architecture.md explains the layers.
 */
class LayeringTest {
  private static final ArchRule IMPORTS_RUN_ONE_WAY = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("Root").definedBy("pulse")
      .layer("Api").definedBy("pulse.api..")
      .layer("Web").definedBy("pulse.web..")
      .layer("Ingest").definedBy("pulse.ingest..")
      .layer("Realtime").definedBy("pulse.realtime..")
      .layer("Demo").definedBy("pulse.demo..")
      .layer("Alerts").definedBy("pulse.alerts..")
      .layer("Store").definedBy("pulse.store..")
      .layer("Site").definedBy("pulse.site..")
      .layer("Config").definedBy("pulse.config..")
      .layer("Metrics").definedBy("pulse.metrics..")
      .layer("Http").definedBy("pulse.http..")
      .whereLayer("Root").mayNotBeAccessedByAnyLayer()
      .whereLayer("Api").mayOnlyBeAccessedByLayers("Root")
      .whereLayer("Web").mayOnlyBeAccessedByLayers("Root")
      .whereLayer("Ingest").mayOnlyBeAccessedByLayers("Root", "Api", "Web")
      .whereLayer("Realtime").mayOnlyBeAccessedByLayers("Root", "Api", "Web", "Alerts")
      .whereLayer("Alerts").mayOnlyBeAccessedByLayers("Root", "Api")
      .whereLayer("Demo").mayOnlyBeAccessedByLayers("Root")
      .whereLayer("Store").mayOnlyBeAccessedByLayers("Root", "Api", "Web", "Ingest", "Realtime",
          "Demo", "Alerts")
      .whereLayer("Site").mayOnlyBeAccessedByLayers("Root", "Api", "Web", "Ingest", "Realtime",
          "Demo", "Store", "Alerts")
      .whereLayer("Config").mayOnlyAccessLayers("Http")
      .whereLayer("Metrics").mayNotAccessAnyLayer()
      .whereLayer("Http").mayNotAccessAnyLayer();

  @Test
  void importsRunOneWay() {
    IMPORTS_RUN_ONE_WAY.check(new ClassFileImporter()
        .withImportOption(new ImportOption.DoNotIncludeTests())
        .importPackages("pulse"));
  }
}
