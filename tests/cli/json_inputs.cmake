# Writes the inputs of tests/cli/json.cmake into DIR: numbers beyond a double, documents nested
# 100,000 levels deep (generated here: too big to keep in the repository) and keys that need
# escaping in a JSON pointer. Run with cmake -DDIR=... -P json_inputs.cmake.
file(MAKE_DIRECTORY ${DIR})
set(model "\"model\": {\"type\": \"gbm\", \"mu\": 0.05, \"sigma\": 0.2}")
set(scenario "{\"name\": \"s\", \"paths\": 10, \"days\": 5, ${model}, \"multiples\": [2]}")

# Number overflow: in a field, in an array, in a study's axis values.
file(WRITE ${DIR}/overflow.json
     "{\n  \"name\": \"o\",\n  \"model\": {\"type\": \"gbm\", \"mu\": 0.05, \"sigma\": 1e400},\n"
     "  \"multiples\": [2]\n}\n")
file(WRITE ${DIR}/overflow_quantiles.json
     "{\"name\": \"o\", ${model}, \"multiples\": [2],\n \"quantiles\": [0.5, 1e400]}\n")
file(WRITE ${DIR}/overflow_study.json
     "{\"name\": \"st\", \"base\": ${scenario},\n"
     " \"axes\": [{\"pointer\": \"/model/sigma\", \"values\": [0.1, 1e400]}]}\n")

# 100,000 levels: as the model, in the description, in an unknown key, in a study's axis value
# and in a study's base file.
string(REPEAT "[" 100000 open)
string(REPEAT "]" 100000 close)
set(deep "${open}1${close}")
file(WRITE ${DIR}/deep_model.json "{\"name\": \"d\", \"model\": ${deep}, \"multiples\": [2]}\n")
file(WRITE ${DIR}/deep_description.json
     "{\"name\": \"d\", ${model}, \"multiples\": [2], \"description\": ${deep}}\n")
file(WRITE ${DIR}/deep_unknown_key.json
     "{\"name\": \"d\", ${model}, \"multiples\": [2], \"zzz\": ${deep}}\n")
file(WRITE ${DIR}/deep_study.json
     "{\"name\": \"st\", \"base\": ${scenario},\n"
     " \"axes\": [{\"pointer\": \"/description\", \"values\": [${deep}]}]}\n")
file(WRITE ${DIR}/deep_base.json "${deep}\n")
file(WRITE ${DIR}/deep_base_study.json
     "{\"name\": \"st\", \"base\": \"deep_base.json\",\n"
     " \"axes\": [{\"pointer\": \"/model/sigma\", \"values\": [0.1]}]}\n")
string(REPEAT "/a" 100000 long_pointer)
file(WRITE ${DIR}/deep_pointer_study.json
     "{\"name\": \"st\", \"base\": ${scenario},\n"
     " \"axes\": [{\"pointer\": \"${long_pointer}\", \"values\": [1]}]}\n")

# Keys that a pointer must escape: '/', and a line break (written \n in the file).
file(WRITE ${DIR}/key_slash.json
     "{\"name\": \"k\", \"model\": {\"type\": \"historical\", \"csv\": \"x.csv\", \"a/b\": 1},"
     " \"multiples\": [2]}\n")
file(WRITE ${DIR}/key_newline.json
     "{\"name\": \"k\", \"model\": {\"type\": \"gbm\", \"mu\": 0, \"sigma\": 0.2, \"a\\nb\": 1},"
     " \"multiples\": [2]}\n")
file(WRITE ${DIR}/key_newline_study.json
     "{\"name\": \"st\", \"base\": ${scenario}, \"x\\ny/z\": 1,\n"
     " \"axes\": [{\"pointer\": \"/model/sigma\", \"values\": [0.1]}]}\n")
file(WRITE ${DIR}/key_newline_axis.json
     "{\"name\": \"st\", \"base\": ${scenario},\n"
     " \"axes\": [{\"pointer\": \"/model/x\\ny\", \"values\": [\"v\\nw\"]}]}\n")
