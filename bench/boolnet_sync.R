# Exhaustive synchronous attractor search with BoolNet, printed as JSON.
#
#   Rscript bench/boolnet_sync.R FILE.bnet [--table] [--sat]
#
# Loads FILE with BoolNet's loadNetwork (every node must have its own line: write
# free inputs as `x, x`), runs
#   getAttractors(net, type = "synchronous", method = "exhaustive", returnTable = FALSE)
# (returnTable = TRUE with --table; with --sat, method = "sat.exhaustive", the SAT-based
# search of Dubrova and Teslenko 2011, which gives no basins: "basin" is then null)
# and prints one JSON object on stdout:
#   {"genes": [...], "fixed": [...], "seconds": <getAttractors call alone>,
#    "load_seconds": ..., "attractors": [{"states": [[chunk, ...], ...], "basin": n}, ...]}
# "states" are BoolNet's involvedStates columns: each state is a vector of 32-bit
# chunks (bit i of chunk c = gene 32*c + i, genes in BoolNet's order = file order),
# printed as unsigned numbers; cycles keep BoolNet's order.
#
# Install BoolNet: apt-get install r-cran-boolnet (or install.packages("BoolNet")).

suppressPackageStartupMessages({
  library(BoolNet)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript boolnet_sync.R FILE.bnet [--table] [--sat]")
file <- args[1]
return_table <- "--table" %in% args
method <- if ("--sat" %in% args) "sat.exhaustive" else "exhaustive"

t0 <- Sys.time()
net <- loadNetwork(file)
t1 <- Sys.time()
attr <- getAttractors(net, type = "synchronous", method = method, returnTable = return_table)
t2 <- Sys.time()

unsigned <- function(x) {
  x <- as.numeric(x)
  ifelse(x < 0, x + 4294967296, x)
}

atts <- lapply(attr$attractors, function(a) {
  m <- a$involvedStates
  if (is.null(dim(m))) m <- matrix(m, nrow = 1)
  states <- lapply(seq_len(ncol(m)), function(j) unsigned(m[, j]))
  basin <- if (is.null(a$basinSize) || is.na(a$basinSize)) NULL else as.numeric(a$basinSize)
  list(states = states, basin = basin)
})

out <- list(
  genes = net$genes,
  fixed = as.integer(net$fixed),
  seconds = as.numeric(difftime(t2, t1, units = "secs")),
  load_seconds = as.numeric(difftime(t1, t0, units = "secs")),
  return_table = return_table,
  method = method,
  attractors = atts
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA), "\n")
