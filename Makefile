# wxsim — `make help` lists the targets.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.Version=$(VERSION)
FUZZTIME ?= 10s

.PHONY: help build run test unit knee fuzz lint bench bench-go clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

## build: build bin/wxsim
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/wxsim ./simulator/cmd/wxsim

## run: the demo on the embedded reference endpoint (wxsim demo)
run: build
	./bin/wxsim demo

## test: every test: lint, unit and integration tests, the knee tests at full speed, brief fuzzing
test: lint unit knee fuzz

## unit: every Go test, with the race detector
unit:
	$(GO) test -race -count=1 -timeout 8m ./...

## knee: the capacity knee tests without the race detector, whose CPU cost puts the 1200/s knee beyond 2 cores
knee:
	$(GO) test -count=1 -run '^TestKnee(Ramp)?$$' ./simulator/capacity

## fuzz: run each fuzz target briefly ($(FUZZTIME) each)
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzJudge$$' -fuzztime $(FUZZTIME) ./simulator/wechat
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) ./simulator/wechat
	$(GO) test -run '^$$' -fuzz '^FuzzDecrypt$$' -fuzztime $(FUZZTIME) ./simulator/wechat

## lint: gofmt, go vet and go mod tidy must leave nothing to change
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff

## bench: side by side with the vegeta CLI (installed at v12.13.0), the per-push Go benchmarks, memory, a profile; writes simulator/BENCHMARKS.md (~8 min)
bench:
	$(GO) run ./simulator/cmd/wxsim-bench -out simulator/BENCHMARKS.md

## bench-go: only the Go benchmarks of the per-push path
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./simulator/...

## clean: remove build outputs
clean:
	rm -rf bin
