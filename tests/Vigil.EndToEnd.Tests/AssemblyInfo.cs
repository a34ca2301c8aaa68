// Each test drives real daemons and processes against timing bounds: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
