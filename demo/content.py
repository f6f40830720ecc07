"""Original demo content for `manage.py seed_demo`: a category tree, people and articles.

Written for this project as general, calm health information; it is demo text, not advice.
"""

# (slug, name, description, children)
type CategorySpec = tuple[str, str, str, list[CategorySpec]]

CATEGORIES: list[CategorySpec] = [
    (
        "more",
        "More",
        "Everything beyond the everyday: health, recovery and living well.",
        [
            (
                "health",
                "Health",
                "Plain explanations of common conditions and how care works.",
                # Marked medical in seed_demo: its articles carry a medical review.
                [
                    (
                        "recovery",
                        "Recovery",
                        "Getting back to daily life after illness, injury or surgery.",
                        [],
                    ),
                    (
                        "nutrition",
                        "Nutrition",
                        "Eating and drinking well while the body heals.",
                        [],
                    ),
                    ("sleep", "Sleep", "Rest, sleep and why both matter for healing.", []),
                ],
            ),
            (
                "living-well",
                "Living well",
                "Habits that help people live well with a long-term condition.",
                [
                    ("movement", "Movement", "Gentle, safe ways to stay active.", []),
                    ("mind", "Mind", "Looking after your mood, worries and energy.", []),
                ],
            ),
        ],
    ),
]

AUTHORS = [
    {
        "username": "amara.okafor",
        "first_name": "Amara",
        "last_name": "Okafor",
        "credentials": "RN, rehabilitation nurse",
        "bio": "Amara has spent fifteen years on rehabilitation wards, helping people "
        "go home after strokes, falls and major operations.",
    },
    {
        "username": "tomas.lindqvist",
        "first_name": "Tomas",
        "last_name": "Lindqvist",
        "credentials": "PT, physiotherapist",
        "bio": "Tomas is a physiotherapist who works with people relearning balance and "
        "walking, and with anyone whose energy runs out too soon.",
    },
    {
        "username": "priya.raman",
        "first_name": "Priya",
        "last_name": "Raman",
        "credentials": "RD, registered dietitian",
        "bio": "Priya is a dietitian with a special interest in nutrition during recovery "
        "and in older age.",
    },
]

# Health professionals who check articles under More > Health before they are published.
REVIEWERS = [
    {
        "username": "dr.helen.mwangi",
        "first_name": "Helen",
        "last_name": "Mwangi",
        "credentials": "MD, consultant in rehabilitation medicine",
        "registration_number": "GMC 7654321",
        "bio": "Helen leads a community rehabilitation team and reviews our articles on "
        "recovery, nutrition and sleep.",
    },
]
MEDICAL_CATEGORIES = [("more", "health")]

RECOVERY = ("more", "health", "recovery")
NUTRITION = ("more", "health", "nutrition")
SLEEP = ("more", "health", "sleep")
MOVEMENT = ("more", "living-well", "movement")
MIND = ("more", "living-well", "mind")

ARTICLES = [
    {
        "title": "Walking again after a hip replacement: the first six weeks",
        "slug": "walking-after-hip-replacement",
        "category": RECOVERY,
        "author": "tomas.lindqvist",
        "tags": ["hip replacement", "walking", "rehabilitation"],
        "summary": "What the first weeks at home usually look like, how to build up your "
        "walking, and the signs that mean you should call your care team.",
        "status": "published",
        "days_ago": 2,
        "body": """Most people are on their feet the day after a hip replacement, but going
home is where the real work starts. Progress is rarely a straight line: good days and
tired days both belong to a normal recovery.

## Weeks one and two

Expect to use a frame or two crutches. The aim now is little and often: short walks
around the house every hour or two you are awake, rather than one long outing.

- Keep the exercises your physiotherapist gave you, two or three times a day
- Sit in a firm chair with arms, high enough that your knees stay below your hips
- Put things you use often at waist height so you do not need to bend low

## Weeks three to six

Many people move to one crutch or a stick, held in the hand opposite the new hip. Walks
can grow longer outdoors, on even ground at first. Stairs go *up with the good leg,
down with the operated one*.

### Swelling and aches

Some swelling of the leg is common and tends to be worse in the evening. Resting with the
leg raised helps. An ache after exercise that settles overnight is usually a sign you
did enough, not too much.

## When to call

Contact your surgical team or GP promptly if you notice:

- Pain in the calf, or a leg that becomes hot, red or much more swollen
- Breathlessness or chest pain: call emergency services
- A wound that leaks, opens or smells
- A fever, or feeling suddenly unwell

Recovery times vary. Comparing yourself with a neighbour who had the same operation is
rarely helpful; comparing yourself with last week usually is.
""",
    },
    {
        "title": "Rebuilding balance: simple practice for steadier days",
        "slug": "rebuilding-balance",
        "category": RECOVERY,
        "author": "tomas.lindqvist",
        "tags": ["balance", "falls", "rehabilitation", "exercise"],
        "summary": "Balance is a skill the body can relearn. A few minutes of safe practice "
        "each day can make standing and walking feel steadier.",
        "status": "published",
        "days_ago": 5,
        "body": """Balance depends on three systems working together: what your eyes see,
what your inner ear senses, and what your joints and feet feel. Illness, long bed rest
or some medicines can weaken any of them. The good news is that practice helps, at any age.

## Before you start

Practise next to a kitchen worktop or a sturdy chair you can hold. Wear flat shoes with a
good grip, and choose a time when you are not tired. If you have fallen recently or feel
dizzy, ask a physiotherapist to check you first.

## Five exercises to try

Start by holding on with both hands. Over weeks, move to one hand, then fingertips.

- **Feet together**: stand with your feet side by side for 30 seconds
- **Heel to toe**: place one foot directly in front of the other and hold
- **Sit to stand**: rise from a chair without using your arms, ten times
- **Side steps**: walk sideways along the worktop and back
- **Heel raises**: rise onto your toes, hold, then lower slowly

## How much, how often

A little every day beats a lot once a week. Ten minutes is plenty to begin with. You
should feel slightly challenged, never unsafe.

### Signs of progress

People often notice first that turning round, reaching into a cupboard or stepping off a
kerb feels less worrying. Those everyday moments are the real measure.

## Keep your home on your side

Good lighting on stairs, a night light between bed and bathroom, and no loose rugs all
reduce the chance of a fall while your balance improves.
""",
    },
    {
        "title": "Pacing: how to use your energy when it runs out fast",
        "slug": "pacing-your-energy",
        "category": RECOVERY,
        "author": "amara.okafor",
        "tags": ["fatigue", "pacing", "long-term conditions"],
        "summary": "Pacing means planning activity and rest so that good days do not cost "
        "you the three days after. Here is how people put it into practice.",
        "status": "published",
        "days_ago": 8,
        "body": """After a serious illness, energy can feel like a phone battery that no
longer holds its charge. Many people fall into a pattern of doing a lot on a good day,
then needing days to recover. Pacing is a way out of that cycle.

## Find your baseline

For a week, note what you do and how you feel afterwards. Your baseline is the amount
of activity you can manage on a bad day without feeling worse the next. It is often
less than people expect, and that is fine: it is a starting point, not a verdict.

## Break tasks into pieces

- Shower sitting down, then rest before getting dressed
- Cook in stages: prepare vegetables in the morning, cook later
- Spread the shopping over two shorter trips
- Rest *before* you feel exhausted, not after

## Plan rest as seriously as activity

Rest means real rest: lying or sitting quietly, not scrolling on a phone. Short rests
through the day work better than one long collapse in the evening.

### Building up

Once your baseline feels steady for a week or two, increase one activity by a small
amount, around ten per cent. If symptoms flare, step back to the last level that worked.

## Talking to others

Pacing can look like laziness to people who do not know about it. Explaining that you
are following a plan, and that it helps you do more over time, often brings
understanding. Your care team can also help you set a plan that fits your condition.
""",
    },
    {
        "title": "Going back to work after a long illness",
        "slug": "back-to-work-after-illness",
        "category": RECOVERY,
        "author": "amara.okafor",
        "tags": ["work", "fatigue", "long-term conditions"],
        "summary": "A phased return, honest conversations and a few practical changes can "
        "make the move back to work safer and more likely to last.",
        "status": "published",
        "days_ago": 12,
        "body": """Returning to work is an important step in recovery, but going back too
fast is one of the most common reasons people end up off sick again. A plan helps.

## Talk before you return

Ask for a meeting with your manager, and with occupational health if your workplace has
it. You do not have to share every medical detail. It is enough to explain what you can
do now, what is still hard, and what would help.

## A phased return

Many people start with shorter days or fewer days a week, building up over four to eight
weeks. Ask for your plan in writing, with a date to review it together.

- Start with tasks you know well
- Avoid your busiest periods in the first weeks
- Keep travel and long meetings to a minimum at first

## Adjustments that help

Small changes often make a large difference: a later start to avoid rush hour, a quiet
place to rest at lunch, working from home on some days, or a chair with better support.

### Watch for warning signs

Sleeping much longer at weekends, or needing every evening to recover, suggests the pace
is too fast. Raise it early; adjusting a plan is easier than starting over.

## If it is not working

Sometimes the job itself needs to change. Your doctor, occupational health or an
employment adviser can talk through options, including a different role or hours.
""",
    },
    {
        "title": "Looking after a surgical wound at home",
        "slug": "surgical-wound-care",
        "category": RECOVERY,
        "author": "amara.okafor",
        "tags": ["surgery", "wound care", "infection"],
        "summary": "How to keep a healing wound clean, what normal healing looks like, and "
        "when a change needs a nurse's or doctor's eye.",
        "status": "published",
        "days_ago": 16,
        "body": """Most surgical wounds heal well at home with a little care. Knowing what
normal healing looks like makes it easier to spot when something needs attention.

## The first days

Keep the dressing on for as long as your nurse advised, usually around two days. After
that, a short shower is normally fine. Pat the area dry with a clean towel; do not rub.

- Wash your hands before and after touching the wound or dressing
- Avoid baths, swimming and hot tubs until the wound has fully closed
- Wear loose clothes that do not rub the area

## What normal healing looks like

A thin pink or red line along the wound, a little swelling and some itching are all
common as the skin knits together. Numbness around a scar can last for months.

### Stitches and clips

Some stitches dissolve by themselves. Others, and metal clips, are removed by a
practice nurse, often seven to fourteen days after surgery. Your discharge letter
should say which you have.

## When to get help

Contact your GP practice or surgical team if you notice:

- Redness that spreads, or skin that feels hot
- Pus or a bad smell from the wound
- The wound edges pulling apart
- A temperature, shivers or feeling generally unwell

> Trust your sense that something has changed. Nurses would much rather see a wound that
> turns out to be fine than hear about an infection late.
""",
    },
    {
        "title": "Protein and healing: eating to recover",
        "slug": "protein-and-healing",
        "category": NUTRITION,
        "author": "priya.raman",
        "tags": ["protein", "appetite", "surgery"],
        "summary": "The body needs more protein while it repairs itself. Simple ways to "
        "fit it in, even when your appetite is small.",
        "status": "published",
        "days_ago": 20,
        "body": """After surgery, an injury or a stay in hospital, the body uses protein
to repair tissue and rebuild muscle lost during bed rest. Many people need more than
usual at exactly the time they feel least like eating.

## Where protein comes from

- Eggs, milk, yoghurt and cheese
- Fish, chicken and meat
- Beans, lentils, chickpeas and tofu
- Nuts, seeds and nut butters

## Little and often

Three small meals and three snacks are often easier than three full meals. Try to
include some protein each time: a yoghurt mid-morning, cheese on crackers in the
afternoon, a milky drink before bed.

### When appetite is poor

Make every mouthful count. Add grated cheese to soup or mashed potato, stir milk powder
into porridge, or use full-fat milk in drinks. Cold foods can be easier when cooking
smells put you off.

## Drink too

Water, milk, tea and soup all count towards your fluids. Being short of fluid can make
tiredness and constipation worse, both common after an operation.

## When to ask for help

If you are losing weight without trying, or eating much less than usual for more than a
week or two, ask your GP about seeing a dietitian. Some people need nutritional drinks
for a while, and these work best with professional advice.
""",
    },
    {
        "title": "Staying hydrated as you get older",
        "slug": "hydration-in-older-age",
        "category": NUTRITION,
        "author": "priya.raman",
        "tags": ["hydration", "older adults", "falls"],
        "references": [
            {
                "title": "Water, drinks and your health",
                "publisher": "NHS",
                "year": 2023,
                "url": "https://www.nhs.uk/live-well/eat-well/food-guidelines-and-food-labels/water-drinks-nutrition/",
            },
            {
                "title": "Dehydration",
                "publisher": "NHS",
                "year": 2023,
                "url": "https://www.nhs.uk/conditions/dehydration/",
            },
        ],
        "summary": "Thirst fades with age, so drinking enough takes a plan. Why it matters "
        "and easy ways to keep topped up through the day.",
        "status": "published",
        "days_ago": 24,
        "body": """The feeling of thirst becomes weaker with age, and some medicines make
the body lose more water. Being even slightly short of fluid can cause headaches,
confusion, constipation and dizziness, which in turn makes falls more likely.

## How much is enough

A common guide is six to eight drinks a day [1], but needs vary with the weather, your
activity and some health conditions. If you have heart or kidney problems, your doctor
may give you a different amount: follow their advice.

## Ways to drink more without noticing

- Keep a glass or jug where you can see it
- Have a drink with every meal and every medicine
- Choose drinks you enjoy: tea and coffee count too
- Eat foods with plenty of water, such as soup, fruit and jelly

### Worried about the toilet at night?

Many people cut down on drinks for fear of getting up in the night. It is better to
drink most of your fluid earlier in the day and ease off in the two hours before bed
than to drink too little overall.

## Signs to look out for

Dark urine, a dry mouth, feeling light-headed when standing, or new confusion can all
point to dehydration [2]. In an older relative, sudden confusion should always be checked
by a doctor, as it can have several causes.
""",
    },
    {
        "title": "Sleeping well after surgery",
        "slug": "sleep-after-surgery",
        "category": SLEEP,
        "author": "amara.okafor",
        "tags": ["sleep", "surgery", "pain"],
        "summary": "Pain, new positions and hospital routines can upset sleep for weeks. "
        "Practical steps that help most people settle again.",
        "status": "published",
        "days_ago": 28,
        "body": """Poor sleep after an operation is very common. Pain, having to lie in a
new position, medicines and the upheaval of a hospital stay all play a part. For most
people it improves as healing goes on, and there is plenty you can do meanwhile.

## Get comfortable

- Use pillows to support the area that was operated on
- Take pain relief as prescribed, timed so it works through the night
- Keep a drink and anything you need within easy reach of the bed

## Build a routine

Go to bed and get up at similar times each day, even if the night was poor. A short
rest after lunch is fine, but long daytime sleeps can make nights harder.

### Wind down

An hour before bed, dim the lights and put screens away. A warm drink without caffeine,
gentle music or a few minutes of slow breathing can help the body settle.

## If you cannot sleep

Lying awake and watching the clock tends to make things worse. After twenty minutes or
so, get up, do something quiet in low light, and go back to bed when you feel sleepy.

## When to mention it

Tell your doctor if poor sleep lasts more than a few weeks, if pain keeps waking you, or
if you snore heavily and stop breathing at night, which someone else may notice first.
""",
    },
    {
        "title": "Understanding tiredness after a virus",
        "slug": "tiredness-after-a-virus",
        "category": SLEEP,
        "author": "tomas.lindqvist",
        "tags": ["fatigue", "pacing", "infection"],
        "summary": "Feeling drained for weeks after an infection is common. What it can "
        "feel like, what helps, and when to see a doctor.",
        "status": "published",
        "days_ago": 33,
        "body": """Many people expect to feel back to normal once a fever passes, but
tiredness can linger for weeks after a viral infection. It is real, it is common, and
for most people it slowly gets better.

## What it can feel like

- Heavy limbs and needing to sit down often
- Finding it hard to concentrate or find words
- Sleeping more but not feeling refreshed
- Feeling worse a day after doing more than usual

## What helps

Gentle routine matters more than willpower. Keep regular times for getting up, meals and
bed. Short walks in daylight can help, as long as they do not leave you worse the next
day. The pacing approach used in many rehabilitation services works well here too.

### Go gently with exercise

Pushing through with hard exercise too early can set recovery back. Build up slowly and
stop at the first sign that you have done enough.

## When to see a doctor

Book an appointment if tiredness lasts more than four weeks, is getting worse, or comes
with breathlessness, chest pain, a racing heart, weight loss or low mood. Blood tests
can rule out other causes such as anaemia or thyroid problems.
""",
    },
    {
        "title": "Getting ready for your physiotherapy appointment",
        "slug": "preparing-for-physiotherapy",
        "category": MOVEMENT,
        "author": "tomas.lindqvist",
        "tags": ["rehabilitation", "appointments", "exercise"],
        "summary": "A little preparation helps you and your physiotherapist use the time "
        "well. What to bring, what to wear and what to ask.",
        "status": "published",
        "days_ago": 37,
        "body": """A first physiotherapy appointment often lasts longer than later ones:
your physiotherapist wants to understand how your problem affects your everyday life,
not only what it looks like on a scan.

## What to bring

- A list of your medicines and any letters from the hospital
- Glasses, hearing aids or walking aids you usually use
- Notes on what makes your symptoms better or worse

## What to wear

Loose, comfortable clothes that let you move and let the physiotherapist see the area
being treated: shorts for a knee or hip, a vest top for a shoulder. Flat shoes help.

## Questions worth asking

Write them down beforehand, as it is easy to forget in the moment.

- What do you think is causing this?
- What can I do myself between appointments?
- What should I avoid for now?
- How will we know it is working?

### Home exercises

Most of the progress happens between appointments. Ask for exercises in writing or as
pictures, and say honestly if they are hard to fit into your day: a plan you can follow
is better than a perfect plan you cannot.
""",
    },
    {
        "title": "Breathing exercises that help you feel calmer",
        "slug": "breathing-exercises",
        "category": MIND,
        "author": "amara.okafor",
        "tags": ["breathing", "anxiety", "relaxation"],
        "summary": "Slow breathing is a simple tool you can use anywhere. Three exercises "
        "to try, and how to make them a habit.",
        "status": "published",
        "days_ago": 41,
        "body": """When we feel anxious or in pain, breathing tends to become fast and
shallow, which can make us feel worse. Slowing the breath sends a signal to the body that
it is safe to settle.

## Belly breathing

Sit or lie comfortably with one hand on your chest and one on your stomach. Breathe in
gently through your nose so the lower hand rises more than the upper one, then breathe
out slowly through your mouth. Repeat for a few minutes.

## Counting breaths

- Breathe in through your nose while counting to four
- Pause briefly without straining
- Breathe out through your mouth while counting to six
- Repeat five to ten times

The longer out-breath is what helps most.

## Breathing with movement

Some people find it easier to breathe slowly while moving: raise your arms as you
breathe in, lower them as you breathe out.

### Making it a habit

Link the practice to something you already do, such as the kettle boiling or getting
into bed. A few minutes twice a day builds the skill, so it is there when you need it.

## A note of care

If you have a lung condition, ask your care team which exercises suit you. If you ever
feel dizzy or tingly, stop and breathe normally for a while.
""",
    },
    {
        "title": "Looking after your mood during a long recovery",
        "slug": "mood-during-recovery",
        "category": MIND,
        "author": "amara.okafor",
        "tags": ["mood", "anxiety", "long-term conditions"],
        "summary": "Frustration, worry and low mood are common when recovery is slow. Ways "
        "to look after yourself, and when to ask for more help.",
        "status": "published",
        "days_ago": 46,
        "body": """A long recovery can be hard on the mind as well as the body. Losing
independence, even for a while, and not knowing how long things will take can bring
frustration, worry or sadness. These feelings are common and nothing to be ashamed of.

## Small things that help

- Keep some structure to your day, even on days at home
- Set small goals and notice when you reach them
- Stay in touch with people, even by a short call or message
- Spend some time outdoors or by a window in daylight

## Talk about it

Telling someone how you feel often lightens the load. That could be a friend, a family
member, a support group for your condition, or your nurse or doctor.

### Look out for

Some signs suggest it is time to ask for more help: feeling low or hopeless most days
for two weeks or more, losing interest in things you usually enjoy, sleeping or eating
much more or less than usual, or finding it hard to get through the day.

## Getting help

Your GP can talk through options, including talking therapies, which many areas let you
contact directly. If you ever think about harming yourself, contact emergency services
or a crisis line straight away: you do not have to cope with that alone.
""",
    },
    {
        "title": "Gentle movement when you live with joint pain",
        "slug": "movement-with-joint-pain",
        "category": MOVEMENT,
        "author": "tomas.lindqvist",
        "tags": ["exercise", "joint pain", "long-term conditions"],
        "summary": "Movement usually helps painful joints more than rest does. How to "
        "start safely and keep going.",
        "status": "published",
        "days_ago": 52,
        "body": """It seems natural to rest a painful joint, but for most long-term joint
pain, regular movement helps more. Muscles around a joint support it, and movement keeps
it supple.

## Good places to start

- Walking on flat ground, building up a few minutes at a time
- Swimming or exercise in warm water, which takes weight off the joints
- Cycling on a static bike with low resistance
- Gentle strengthening exercises while sitting in a chair

## What to expect

Some discomfort during and after exercise is normal and does not mean you are causing
damage. A useful rule: pain that settles within a day or so is acceptable. Pain that
lasts longer suggests easing back a little next time, not stopping altogether.

### On bad days

Keep moving gently rather than stopping completely. Shorter, easier sessions keep the
habit going until the flare settles.

## Getting support

A physiotherapist can tailor exercises to your joints. Many areas run group exercise
classes for people with joint pain, which also bring company and encouragement.
""",
    },
    {
        "title": "Cooking for one while you recover",
        "slug": "cooking-for-one-in-recovery",
        "category": NUTRITION,
        "author": "priya.raman",
        "tags": ["appetite", "meal planning"],
        "summary": "Draft: easy meals for the weeks when standing at the cooker is hard.",
        "status": "draft",
        "days_ago": 0,
        "body": """## Plan ahead

Batch cooking before a planned operation saves effort later.

- Soups and stews freeze well
- Keep tinned fish and beans in the cupboard

## Notes for the editor

Add a section on community meal services before this goes out.
""",
    },
    # The Health A to Z's demo article (CONDITIONS links it to cerebellar atrophy).
    {
        "title": "Cerebellar atrophy: treatment and recovery",
        "slug": "cerebellar-atrophy-treatment-and-recovery",
        "category": RECOVERY,
        "author": "tomas.lindqvist",
        "tags": ["ataxia", "balance", "rehabilitation"],
        "summary": "Most kinds of cerebellar atrophy cannot be cured, but therapy can help you "
        "move more safely and keep doing what you enjoy. What treatment involves, and how to "
        "help yourself.",
        "status": "published",
        "days_ago": 5,
        "references": [
            {
                "title": "Ataxia",
                "publisher": "NHS",
                "url": "https://www.nhs.uk/conditions/ataxia/",
            },
            {
                "title": "Ataxia",
                "publisher": "National Institute of Neurological Disorders and Stroke (NINDS)",
                "url": "https://www.ninds.nih.gov/health-information/disorders/ataxia",
            },
        ],
        "body": """Cerebellar atrophy means that the cerebellum has shrunk. The cerebellum is
the part of the brain that keeps your movements smooth and steady. When it shrinks,
walking, talking and using your hands get harder. Doctors call these problems ataxia [1].

For most people, no treatment makes the cerebellum grow back. But a lot can be done to
help you stay safe, stay active and live well [1][2].

## Finding the cause

Treatment starts with finding out why it happened, because some causes can be treated.
Your doctor may ask about your family, the medicines you take and how much alcohol you
drink. You may have blood tests and a brain scan [2].

Some causes can be treated, or stopped from getting worse:

- too little vitamin E or vitamin B12
- an underactive thyroid gland
- drinking a lot of alcohol for a long time
- a side effect of a medicine

If it runs in your family, you may be offered a genetic test, and a talk with a genetic
counsellor about what the result means for you and your relatives.

## Therapy that helps

You may see a team of specialists. Each of them helps with a different part of daily
life [1].

### Physiotherapy

A physiotherapist teaches you exercises for balance, strength and walking. Doing them
most days helps your body make the most of the parts of the brain that still work well.
They can also show you how to get up safely after a fall.

### Speech and language therapy

A speech and language therapist helps if your speech is slurred or slow. They also help
if you cough or choke when you eat or drink, which can happen when the muscles you
swallow with are affected.

### Occupational therapy

An occupational therapist looks at the tasks you find hard at home or at work. They may
show you easier ways to do them, or suggest equipment such as grab rails, a shower seat
or cutlery with thick handles.

## Helping yourself day to day

- Keep moving: a short walk and your exercises, every day if you can
- Clear the floor of rugs and cables you could trip on
- Sit down to get dressed, cook or wash if standing makes you sway
- Use a walking stick or frame if your therapist suggests one
- Take your time when you speak, and ask people to give you time too
- Drink little or no alcohol: it makes balance worse

Living with a long-term condition can be tiring and lonely. Many people find it helps to
talk with others who have ataxia. Your GP or therapist can tell you about support groups
near you.

## When to get help

:::urgent
- your walking, speech or swallowing gets worse over a few days
- you have fallen and hurt yourself, or you are falling more often
- you often choke or cough when you eat or drink
:::

:::emergency
- you suddenly cannot stand, walk or speak clearly
- one side of your face droops, or an arm or leg feels weak or numb
- you have a sudden, very bad headache
:::

Sudden changes like these can be signs of a stroke, which needs treatment straight away.
""",
    },
]

# The Health A to Z (seed_demo): conditions with descriptions of our own, and the demo
# articles about each. Codes are left empty where no single code fits well: a wrong code
# misleads more than none.
CONDITIONS = [
    {
        "name": "Cerebellar atrophy",
        "slug": "cerebellar-atrophy",
        # "Ataxia" names what it causes; readers often search for it by that name.
        "synonyms": "Cerebellar degeneration\nAtaxia",
        # G31.9, degenerative disease of the nervous system, unspecified: the code it is
        # often recorded under (hereditary ataxia has codes of its own, under G11).
        "icd10": "G31.9",
        "description": """The cerebellum is a part of the brain at the back of the head.
It helps you keep your balance and makes your movements smooth and steady. In cerebellar
atrophy, nerve cells in the cerebellum slowly die, and this part of the brain shrinks.

It can run in families. It can also follow a stroke, years of heavy drinking, some
medicines, too little of some vitamins, or another illness. Sometimes no cause is found.

Common signs are:

- walking that feels unsteady, as if you were on a boat
- clumsy hands, for example when writing or doing up buttons
- speech that sounds slurred or slow
- eyes that find it hard to follow something that moves

Doctors call these problems **ataxia**. Most kinds cannot be cured, but physiotherapy,
speech and language therapy and occupational therapy help people stay safe and active.
""",
        "articles": ["cerebellar-atrophy-treatment-and-recovery", "rebuilding-balance"],
    },
    {
        "name": "Stroke",
        "slug": "stroke",
        "synonyms": "Cerebrovascular accident\nCVA\nBrain attack",
        "icd10": "I64",
        "icd11": "8B20",
        "mesh": "D020521",
        "snomed": "230690007",
        "description": """A stroke happens when the blood supply to part of the brain is
cut off, by a clot or by bleeding. Without blood, brain cells are damaged or die. A stroke
is an emergency: the sooner treatment starts, the less harm it does.

Remember the main signs with the word FAST:

- **Face**: one side of the face has dropped, or the person cannot smile
- **Arms**: they cannot lift both arms and keep them up
- **Speech**: their speech is slurred or muddled
- **Time**: call the emergency number straight away

After a stroke, many people need help to relearn how to move, speak or do everyday
tasks. Most recovery happens in the first few months, but it can go on for years.
""",
        "articles": ["rebuilding-balance"],
    },
    {
        "name": "Long COVID",
        "slug": "long-covid",
        "synonyms": "Post COVID-19 condition\nPost-COVID-19 syndrome",
        "icd10": "U09.9",
        "icd11": "RA02",
        "description": """Long COVID is when symptoms carry on for weeks or months after
a COVID-19 infection, or new ones start. Doctors usually call it long COVID when the
symptoms have lasted more than 12 weeks and nothing else explains them.

Common symptoms are:

- tiredness that rest does not fix (fatigue)
- feeling short of breath
- trouble with memory and thinking, sometimes called "brain fog"
- a racing or pounding heart
- poor sleep

Symptoms often come and go. For most people they slowly get better. Pacing your energy,
and support from a GP or a long COVID service, can help.
""",
        "articles": ["tiredness-after-a-virus", "pacing-your-energy"],
    },
    {
        "name": "Osteoarthritis of the knee",
        "slug": "osteoarthritis-of-the-knee",
        "synonyms": "Knee osteoarthritis\nGonarthrosis",
        "icd10": "M17.9",
        "icd11": "FA01",
        "mesh": "D020370",
        "snomed": "239873007",
        "description": """Osteoarthritis is the most common kind of arthritis. In the
knee, the smooth layer that covers the ends of the bones (cartilage) gets thinner and
rougher, and the joint has to work harder to move. It is more common after the age of 45,
after a knee injury, and in people who carry extra weight.

Common signs are:

- pain that is worse when you move and better when you rest
- stiffness after sitting or first thing in the morning, which eases within half an hour
- a knee that looks swollen or feels warm
- a grating or crackling feeling when you bend it

Regular exercise to make the muscles around the knee stronger is one of the best
treatments. Losing weight if you need to, pain relief and comfortable shoes help too.
""",
        "articles": ["movement-with-joint-pain"],
    },
    {
        "name": "Parkinson's disease",
        "slug": "parkinsons-disease",
        "synonyms": "Parkinson disease\nParalysis agitans",
        "icd10": "G20",
        "icd11": "8A00.0",
        "mesh": "D010300",
        "snomed": "49049000",
        "description": """In Parkinson's disease, part of the brain slowly loses the nerve
cells that make dopamine, a chemical messenger that helps control movement. It gets worse
slowly, over many years.

The main signs are:

- shaking (tremor), often in one hand while it rests
- slow movements
- stiff muscles

Many people also have other problems, such as poor sleep, low mood, constipation or a
weaker sense of smell. There is no cure yet, but medicines and therapy help many people
live well for years.
""",
        "articles": ["rebuilding-balance"],
    },
]


# A change to a published article in a medical category, waiting for the medical reviewer
# (seed_demo): a section added at the end of the body, and the line readers will see in
# the change history once an editor publishes it.
PENDING_CHANGE = {
    "slug": "hydration-in-older-age",
    "summary": "Added advice on drinking enough in hot weather",
    "addition": """## On hot days

Warm weather makes the body lose water through the skin faster than most people notice,
and older bodies are slower to feel it. On a hot day, add a drink or two to your usual
amount, keep the curtains drawn in the warmest hours and sip something cool each time you
sit down.

- Carry a small bottle when you go out
- Check on a neighbour or relative who lives alone
- If you were told to limit fluids, ask your doctor or nurse what to do in a heatwave
""",
}
