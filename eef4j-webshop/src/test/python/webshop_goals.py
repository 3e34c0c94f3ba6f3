"""One-off reproduction of WebShop's goal list, used to pin the Java port (GoalsTest).

It follows AgentGym's copy of WebShop (agentenv-webshop web_agent_site/engine/goal.py and envs/web_agent_text_env.py):
random.seed(233) before the synthetic goals are built, then SimServer's random.seed(233); random.shuffle(goals).
The one departure from the original is the price of range-priced products, which the original draws with an unseeded
random.uniform; eef4j fixes it as random.Random(asin).uniform(low, high) (see Catalog.priceOf).

Usage: python3 webshop_goals.py <dir with products.jsonl and items_ins_v2_1000.json>
Prints the goal count, the SHA-256 of the instruction texts joined by "\n" (UTF-8), and a few goals; the same for
the human goals with seed 7 and in AgentGym's variant; and the fixed price of two range-priced products.
"""
import hashlib
import itertools
import json
import random
import sys
from collections import defaultdict

PRICE_RANGE = [10.0 * i for i in range(1, 100)]


def load(data_dir):
    products = []
    with open(f'{data_dir}/products.jsonl') as f:
        for line in f:
            line = line.strip()
            if line:
                products.append(json.loads(line)['product'])
    with open(f'{data_dir}/items_ins_v2_1000.json') as f:
        attributes = json.load(f)
    for p in products:
        ins = attributes.get(p['asin'], {})
        p['instruction_text'] = ins.get('instruction')
        p['instruction_attributes'] = ins.get('instruction_attributes')
    return products


def price_of(p):
    pricing = p['pricing']
    if not pricing:
        return 100.0
    if len(pricing) == 1:
        return pricing[0]
    return random.Random(p['asin']).uniform(*pricing[:2])


def synthetic_goals(products):
    goals = []
    cnt_atts = defaultdict(int)
    random.seed(233)
    for product in products:
        if product.get('instruction_text') is None:
            continue
        attributes = product['instruction_attributes']
        price = price_of(product)
        price_range = [p for p in PRICE_RANGE if p > price][:4]
        if len(price_range) >= 2:
            _, price_upper = sorted(random.sample(price_range, 2))
            price_text = f', and price lower than {price_upper:.2f} dollars'
        else:
            price_upper = 1000000
            price_text = ''
        options = product['options']
        names = sorted(options)
        for combination in itertools.product(*(options[n] for n in names)):
            goal_options = dict(zip(names, combination))
            option_text = ', and '.join(f'{k}: {v}' for k, v in goal_options.items())
            option_text = ' with ' + option_text if option_text else ''
            goals.append({'asin': product['asin'], 'attributes': attributes, 'price_upper': price_upper,
                          'goal_options': goal_options,
                          'instruction_text': f"{product['instruction_text']}{option_text}{price_text}"})
            for att in attributes:
                cnt_atts[att] += 1
    for goal in goals:
        goal['weight'] = sum(1. / cnt_atts[a] for a in goal['attributes']) / len(goal['attributes'])
    random.seed(233)
    random.shuffle(goals)
    return goals


def human_goals(products, seed):
    """get_human_goals, with the price limits drawn from random.Random(seed) instead of the unseeded global."""
    rng = random.Random(seed)
    goals = []
    for item in products:
        for ins in item.get('instructions', []):
            attributes = ins['instruction_attributes']
            if len(attributes) == 0:
                continue
            price = price_of(item)
            price_range = [p for p in PRICE_RANGE if p > price][:4]
            if len(price_range) >= 2:
                _, price_upper = sorted(rng.sample(price_range, 2))
                price_text = f', and price lower than {price_upper:.2f} dollars'
            else:
                price_upper = 1000000
                price_text = ''
            goals.append({'asin': item['asin'], 'price_upper': price_upper, 'goal_options': ins['instruction_options'],
                          'instruction_text': ins['instruction'].strip('.') + price_text})
    random.seed(233)
    random.shuffle(goals)
    return goals


def human_goals_agentgym(products):
    """AgentGym's get_human_goals: one goal per candidate limit (no draw); four copies when there is no limit."""
    goals = []
    for item in products:
        for ins in item.get('instructions', []):
            attributes = ins['instruction_attributes']
            if len(attributes) == 0:
                continue
            for i in range(0, 4):
                price = price_of(item)
                price_range = [p for p in PRICE_RANGE if p > price][:4]
                if len(price_range) >= 2:
                    if i >= len(price_range):
                        continue
                    price_upper = price_range[i]
                    price_text = f', and price lower than {price_upper:.2f} dollars'
                else:
                    price_upper = 1000000
                    price_text = ''
                goals.append({'asin': item['asin'], 'price_upper': price_upper,
                              'instruction_text': ins['instruction'].strip('.') + price_text})
    random.seed(233)
    random.shuffle(goals)
    return goals


def main():
    products = load(sys.argv[1])
    goals = synthetic_goals(products)
    text = '\n'.join(g['instruction_text'] for g in goals)
    print('count', len(goals))
    print('sha256', hashlib.sha256(text.encode('utf-8')).hexdigest())
    for i in (0, 1, 204, 912, 5238, len(goals) - 1):
        g = goals[i]
        print(i, g['asin'], repr(g['price_upper']), repr(g['weight']), json.dumps(g['instruction_text']))

    human = human_goals(products, 7)
    print('human', len(human), hashlib.sha256('\n'.join(g['instruction_text'] for g in human).encode('utf-8')).hexdigest())
    for g in human[:2]:
        print(g['asin'], repr(g['price_upper']), json.dumps(g['instruction_text']), g['goal_options'])
    ag = human_goals_agentgym(products)
    print('human-agentgym', len(ag), hashlib.sha256('\n'.join(g['instruction_text'] for g in ag).encode('utf-8')).hexdigest())
    print(ag[0]['asin'], repr(ag[0]['price_upper']), json.dumps(ag[0]['instruction_text']))
    ranged = [p for p in products if len(p['pricing']) == 2][:2]
    for p in ranged:
        print('price', p['asin'], p['pricing'], repr(price_of(p)))


if __name__ == '__main__':
    main()

