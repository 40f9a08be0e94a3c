"""The abbreviations and nicknames `load_gazetteer` adds for staff to review in admin.

Each one is how people write a big city in a search box, and is not itself the name of
another place a visitor is likely to mean. (GeoNames' own alternate names carry airport
codes such as "LON" and "MUC"; the loader leaves those out, so only this reviewed list
turns letters into a city.)
"""

# alias, GeoNames id, why
DEFAULT_ALIASES: list[tuple[str, int, str]] = [
    ("nyc", 5128581, "New York City"),
    ("ny", 5128581, "New York, the city more often than the state in a clinic search"),
    ("la", 5368361, "Los Angeles"),
    ("sf", 5391959, "San Francisco"),
    ("dc", 4140963, "Washington, D.C."),
    ("philly", 4560349, "Philadelphia"),
    ("vegas", 5506956, "Las Vegas"),
    ("sin city", 5506956, "Las Vegas"),
    ("nola", 4335045, "New Orleans"),
    ("chitown", 4887398, "Chicago (Chi-Town)"),
    ("atl", 4180439, "Atlanta"),
    ("slc", 5780993, "Salt Lake City"),
    ("ldn", 2643743, "London"),
    ("brum", 2655603, "Birmingham, England"),
    ("mcr", 2643123, "Manchester, England"),
    ("toon", 2641673, "Newcastle upon Tyne"),
    ("auld reekie", 2650225, "Edinburgh (its old Scots nickname)"),
    ("bcn", 3128760, "Barcelona"),
    ("syd", 2147714, "Sydney"),
    ("melb", 2158177, "Melbourne"),
    ("brissie", 2174003, "Brisbane"),
    ("yyz", 6167865, "Toronto (its airport code, used as a nickname)"),
    ("mtl", 6077243, "Montréal"),
    ("yvr", 6173331, "Vancouver (its airport code, used as a nickname)"),
    ("cdmx", 3530597, "Mexico City (Ciudad de México)"),
]
