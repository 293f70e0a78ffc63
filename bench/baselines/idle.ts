// Baseline: a compiled Bun program that only waits, as an idle agent would
// with nothing to do. One far-off timer keeps the event loop alive.
setInterval(() => {}, 2 ** 31 - 1);
