"""Word lists the validator uses: numbers in words, claim words, and words too common to anchor a value."""

from __future__ import annotations

# Words that state a quantity. A rewrite may not add or remove any: a model that writes "twelve", "half"
# or "doubled" has invented a figure the data never gave it.
NUMBER_WORDS = frozenset(
    """
    zero nought nil one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion billions trillion bn mn k
    dozen dozens score half halves halved halving quarter quarters third thirds double doubled doubling
    twice triple tripled treble trebled thrice twofold threefold tenfold
    first second third fourth fifth sixth seventh eighth ninth tenth hundredth thousandth
    percent pc pct cent percentage percentages point points pp bps
    single couple pair
    """.split()
)

# Words that carry the claim of a sentence: direction, evaluation, comparison, cause, certainty, scope,
# negation and hedges. The rewrite must keep exactly these words in exactly this order (see validate.py):
# swapping "rose" for "fell", "above" for "below", or adding "because", "all" or "record" changes what the
# board is told, while every other word may be polished freely.
CLAIM_WORDS = frozenset(
    """
    rose rise rises rising risen increase increased increases increasing grew grow grows growing grown
    growth climb climbed climbs climbing up upward higher highest gain gained gains more peak peaked
    surge surged jump jumped soar soared
    fell fall falls falling fallen decrease decreased decreases decreasing decline declined declines
    declining drop dropped drops dropping down downward lower lowest less least fewer fewest cut cuts
    reduce reduced reduces reducing reduction reductions shrank shrink slipped slip dip dipped lost loss
    losses
    improve improved improves improving improvement improvements worsen worsened worsens worsening
    deteriorate deteriorated deteriorates deteriorating deterioration better worse best worst strong
    stronger strongest weak weaker weakest poor poorer excellent outstanding significant significantly
    substantial substantially sharp sharply slight slightly marginal marginally dramatic dramatically
    above below over under exceed exceeded exceeds exceeding ahead behind miss missed misses met meet
    meets beat beats outperformed underperformed target targets benchmark benchmarks budget than
    compared versus vs against from
    same flat stable unchanged steady
    because due caused cause causes causing driven drove drive drives owing thanks therefore hence
    consequently result resulted resulting attributable so
    will would could may might should must expect expected expects forecast forecasts projected likely
    unlikely guarantee guaranteed certain certainly definitely
    all every most majority minority entire whole fully completely entirely everyone everybody
    only record unprecedented ever never always none nothing no not nor neither without
    almost nearly approximately approx about around roughly just some circa
    again still already yet continued continue continues continuing since new
    """.split()
)

# Words too common to tie a value to its metric: the anchor check (validate.py) skips them.
STOP_WORDS = (
    frozenset(
        """
    a an the and or but if then of in on at by for with to into onto as is are was were be been being
    has have had do does did this that these those it its their our your his her we they them us
    which who whom whose what when where while there here per each across within during through
    after before until between among also both either other another such very
    its it's is was has
    month months year years quarter period periods week weeks day days
    """.split()
    )
    - CLAIM_WORDS
    - NUMBER_WORDS
)

# Words that join a new clause to a sentence. A rewrite may not use more of them than the original did,
# except to join sentences it merged: "..., and the board should sign off today" adds a clause, and a
# clause is where injected content hides.
CLAUSE_WORDS = frozenset(
    """
    and but while whilst whereas although though which who whom whose unless until so yet nor
    """.split()
)

# Words that make a sentence an instruction to its reader. A board paper asks for decisions in its own
# words; a rewrite that brings in any of these (more often than the original had them) is carrying an
# instruction the template never wrote: "Disregard earlier guidance; sign off today."
INSTRUCTION_WORDS = frozenset(
    """
    please kindly shall ought disregard ignore ignoring forget override overrule instruction instructions
    instructed guidance directive immediately urgently urgent asap today tonight tomorrow sign click
    visit wire remit approve authorise authorize execute download install delete confirm
    """.split()
)

# Verbs that, opening a sentence, make it an order ("Approve the budget."). A rewrite may not open a
# sentence with one unless the original opened that way too. Nouns of the trade that double as verbs
# (contact, call, transfer, open, review) are left out: "Contact volumes fell" is no order.
IMPERATIVE_VERBS = INSTRUCTION_WORDS | frozenset(
    """
    act do make remember read see ensure buy sell tell ask give take let consider submit accept agree
    decide send pay reply respond forward
    """.split()
)
