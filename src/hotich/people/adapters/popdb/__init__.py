"""The national population database (CSDL quốc gia về dân cư): the adapter protocol, the HTTP
adapter, the outbound HTTP wrapper and a local stand-in service that speaks the same contract
(``docs/popdb-contract.md``)."""
