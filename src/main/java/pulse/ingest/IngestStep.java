package pulse.ingest;

/**
 * One named step of the {@link IngestPipeline}: it checks or enriches a batch and either lets it
 * go on (null) or ends it with an outcome (a drop or a refusal).
 */
interface IngestStep {
  String name();

  /** Null to pass the batch on; an outcome to stop here. */
  IngestOutcome apply(IngestBatch batch);

  static IngestStep of(String name, java.util.function.Function<IngestBatch, IngestOutcome> f) {
    return new IngestStep() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public IngestOutcome apply(IngestBatch batch) {
        return f.apply(batch);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
