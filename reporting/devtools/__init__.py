"""Tools for people, not for the product's users: the demo estate (`demo`), the generated
national estate (`estate`) and the benchmark (`bench`), behind `load_demo`, `generate_estate`
and `bench`."""
