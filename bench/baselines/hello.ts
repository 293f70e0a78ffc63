// Baseline: the cheapest compiled Bun program that does something visible.
console.log("hello");
