// Each test starts several silo processes on a 2-core box: one scenario at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
